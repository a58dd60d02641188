"""One mistake made in several places is one story (same code, same blanked message, same expected
and found types); a different type pair stays its own story. Real cargo."""

from __future__ import annotations

from pathlib import Path

import pytest

from engine.explain.api import explain_report
from tests.explain.crates import write_lib
from toolbelt.cargo_run import run_check

SRC = """pub fn ids() -> (u32, u32, u32) {
    let a: u32 = "1";
    let b: u32 = "2";
    let c: u32 = "3";
    (a, b, c)
}

pub fn name() -> String {
    let n: String = 7;
    n
}
"""


@pytest.mark.slow
def test_three_places_one_shape_one_story_and_another_shape_apart(tmp_path: Path) -> None:
    root = write_lib(tmp_path, "shapes", SRC)
    stories = [e for e in explain_report(run_check(root)) if e.level == "error"]
    assert len(stories) == 2
    same, other = sorted(stories, key=lambda e: -len(e.diagnostics))
    assert len(same.diagnostics) == 3 and len(other.diagnostics) == 1
    assert "3 places make this same mistake (src/lib.rs:2, src/lib.rs:3, src/lib.rs:4)" in " ".join(
        same.facts
    )
    assert same.summary.startswith("3 places, one mistake:")
    assert not any("diagnostics to this root cause" in f for f in same.facts)  # each place needs its own edit
