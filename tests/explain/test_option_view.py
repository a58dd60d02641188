"""rustc's fix that fails is not the one offered: an `Option<&String>`'s default given as a `&str`
gets `.map(String::as_str)` before `unwrap_or`, a patch that compiles beside the owned-`String`
fix. Real cargo on a small library crate written here."""

from __future__ import annotations

import pytest

from engine.explain.validation import validate
from tests.explain.crates import explain_lib, story

pytestmark = pytest.mark.slow

LOOKUP = """use std::collections::HashMap;

pub fn label(names: &HashMap<u32, String>, id: u32, fallback: &str) -> usize {
    let n: &str = names.get(&id).unwrap_or(fallback);
    n.len()
}
"""


def test_a_borrowed_default_views_the_option_first_and_compiles(tmp_path):
    stories = explain_lib(tmp_path, "lookup", LOOKUP)
    e = story(stories, LOOKUP, "unwrap_or(fallback)", "E0308")
    fixes = [f for f in e.fixes if ".map(String::as_str)" in "".join(f.shows) + f.patch]
    assert fixes, [f.name for f in e.fixes]
    checked = validate([e], tmp_path / "lookup").explanations[0]
    fix = next(f for f in checked.fixes if f.id == fixes[0].id)
    assert fix.validated == "compiles" and fix.errors_left == 0
