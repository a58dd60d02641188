"""An option checked while another story's error is left only type-checks (borrowck has not run).
The joint build checks it beside the other stories' fixes; an error whose own story has no fix
(`u64: Sum<usize>`, which the E0308 story's turbofish fix clears as well) no longer stops that
build, so a fix that keeps a borrow of a temporary is found out (E0515) instead of being offered as
"type-checks" (#14). Real cargo on a crate written here."""

from __future__ import annotations

from pathlib import Path

import pytest

from engine.explain.validation import validate
from tests.explain.crates import explain_lib

NAMES = """pub fn shout(names: &[&str]) -> Vec<String> {
    let out: Vec<String> = names.iter().map(|n| n.to_uppercase().as_str()).collect();
    out
}

pub fn total_len(names: &[&str]) -> usize {
    names.iter().map(|n| n.len()).sum::<u64>()
}
"""


@pytest.mark.slow
def test_fixes_are_checked_whole_beside_a_fix_that_clears_an_unfixed_story(
    tmp_path: Path, monkeypatch
) -> None:
    monkeypatch.setenv("RUSTA_CACHE_DIR", str(tmp_path / "cache"))
    stories = explain_lib(tmp_path, "names", NAMES)
    first = [i for i, s in enumerate(stories) if s.primary.line <= 3]
    assert first, [(s.code, s.primary.line) for s in stories]
    run = validate(stories, tmp_path / "names")
    fixes = [o for i in first for o in run.explanations[i].fixes]
    assert fixes, [(o.name, o.validated) for i in first for o in run.failed[i]]
    assert any(o.validated == "compiles" for o in fixes), [(o.name, o.validated) for o in fixes]
    assert not any(o.validated == "type-checks" for o in fixes), [(o.name, o.validated) for o in fixes]
    kept_borrow = [
        o.name
        for o in fixes
        if o.validated == "compiles"
        and ".as_str())" in "".join(o.shows)
        and "to_string" not in "".join(o.shows)
    ]
    assert not kept_borrow, kept_borrow
