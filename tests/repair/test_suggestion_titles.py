"""A fix's title is never rustc's help cut where its rendering shows the code (#14): clippy's
"replace it with" and "change this to" stop before the code, and as a title they read as half a
sentence. The title ends with the code the edit writes. Real clippy on a crate written here."""

from __future__ import annotations

from pathlib import Path

import pytest

from engine.repair.suggestions import suggestion_candidates
from tests.explain.crates import write_lib
from toolbelt.cargo_run import run_check

pytestmark = pytest.mark.slow

SCALE = """pub fn scale(xs: &Vec<u64>, k: u64) -> u64 {
    let mut total = 0;
    for x in xs.iter() {
        total = total + x * k;
    }
    total
}
"""


def test_a_suggestion_title_ends_with_the_code_it_writes(tmp_path: Path) -> None:
    report = run_check(write_lib(tmp_path, "scale", SCALE), tool="clippy", target_dir=tmp_path / "target")
    cands = [c for d in report.diagnostics for c in suggestion_candidates(d)]
    assert len(cands) >= 2, [d.message for d in report.diagnostics]
    for c in cands:
        words = c.description.rstrip().split()
        assert words and words[-1].lower() not in ("with", "to", "try", "this", "as", "by"), c.description
        assert not c.description.endswith(":"), c.description
    assert any(c.description.endswith("`&[u64]`") for c in cands), [c.description for c in cands]
    assert any("`total += x * k`" in c.description for c in cands), [c.description for c in cands]
