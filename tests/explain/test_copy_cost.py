"""A fix's cost comes from what its patch copies (#14). The general mistake: the story's type
("`reg` has type `&HashMap<String, Vec<u32>>`") put on a patch that copies something else
(`k.to_string()` on a `&str`): "allocates and copies the `HashMap<..>`" is false there. Real cargo on
a crate written here: a map's `&str` keys collected into `Vec<String>`."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.explain.crates import explain_lib

pytestmark = pytest.mark.slow

KEYS = """use std::collections::HashMap;

pub fn owners(reg: &HashMap<String, Vec<u32>>) -> Vec<String> {
    reg.iter()
        .filter(|(_, v)| !v.is_empty())
        .map(|(k, _)| k.as_str())
        .collect()
}
"""


def test_a_fix_is_costed_by_the_call_its_patch_writes_not_by_the_storys_type(tmp_path: Path) -> None:
    stories = [e for e in explain_lib(tmp_path, "keys", KEYS) if e.code == "E0277"]
    assert stories
    fixes = [f for e in stories for f in e.fixes]
    assert any("HashMap" in (e.message + " ".join(d.rendered or "" for d in e.diagnostics)) for e in stories)
    for f in fixes:
        assert "HashMap" not in f.cost, (f.name, f.patch, f.cost)
    to_string = [f for f in fixes if ".to_string()" in "".join(f.shows)]
    assert to_string, [(f.name, f.shows) for f in fixes]
    assert all("new `String`" in f.cost for f in to_string), [(f.name, f.cost) for f in to_string]
