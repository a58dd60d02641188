"""E0308 whose found type is written in the expression itself (a turbofish on its outermost call,
an outermost `as` cast), returned where the signature says another type: the fix is the written
type, not the signature (`u64: Sum<usize>` does not hold, so `-> u64` cannot compile). Rusta offers
the turbofish or cast with the expected type, validated, and no "change the declaration" (#14).
Real cargo on crates written here."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from engine.explain.validation import validate
from tests.explain.crates import explain_lib, story_text

SIZES = """pub fn total_bytes(files: &[Vec<u8>]) -> usize {
    files.iter().map(|f| f.len()).sum::<u64>()
}
"""

RATIO = """pub fn share(part: u32, whole: u32) -> f64 {
    (part as f32 / whole as f32) as f32
}
"""


@pytest.mark.slow
@pytest.mark.parametrize(
    ("name", "src", "new"), [("sizes", SIZES, "sum::<usize>()"), ("ratio", RATIO, "as f64")]
)
def test_the_written_type_is_changed(tmp_path: Path, monkeypatch, name: str, src: str, new: str) -> None:
    monkeypatch.setenv("RUSTA_CACHE_DIR", str(tmp_path / "cache"))
    stories = explain_lib(tmp_path, name, src)
    e0308 = [i for i, s in enumerate(stories) if s.code == "E0308"]
    assert e0308, [(s.code, s.message) for s in stories]
    run = validate(stories, tmp_path / name)
    e = run.explanations[e0308[0]]
    ok = [o for o in e.fixes if o.validated == "compiles" and new in "".join(o.shows)]
    assert ok, [(o.name, o.validated, o.fails_because) for o in e.fixes]
    assert "change the declaration" not in story_text(e), story_text(e)
    written = src.splitlines()[e.root_cause.line - 1][e.root_cause.column - 1 :]
    assert written.startswith(("u64", "f32")), (e.root_cause, written)
    assert "better place to change" not in e.summary, e.summary


# The cast is the mistake: its operand already has the expected type (a field, a local).
GRID = """pub struct Grid {
    pub width: u16,
    pub cells: Vec<u8>,
}

pub fn row_start(g: &Grid, row: u16) -> u16 {
    row * g.width as usize
}
"""

DEPTH = """pub fn level(depth: u8) -> u8 {
    let d = depth.min(9);
    d as u32
}
"""


@pytest.mark.slow
@pytest.mark.parametrize(("name", "src", "fixed"), [("grid", GRID, "row * g.width"), ("depth", DEPTH, "d")])
def test_a_wrong_cast_is_deleted_not_wrapped(
    tmp_path: Path, monkeypatch, name: str, src: str, fixed: str
) -> None:
    monkeypatch.setenv("RUSTA_CACHE_DIR", str(tmp_path / "cache"))
    stories = explain_lib(tmp_path, name, src)
    e0308 = [i for i, s in enumerate(stories) if s.code == "E0308"]
    assert e0308, [(s.code, s.message) for s in stories]
    run = validate(stories, tmp_path / name)
    e = run.explanations[e0308[0]]
    shown = [(o.name, o.validated, "".join(o.shows).strip()) for o in e.fixes]
    ok = [s for s in shown if s[1] == "compiles"]
    assert ok and ok[0][2] == fixed, shown
    # no option converts a cast's result again: `(e as A) as B` or `e as A as B`
    assert not [s for s in shown if re.search(r"as \w+\)? as ", s[2])], shown
