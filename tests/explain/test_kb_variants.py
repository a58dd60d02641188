"""A KB variant can replace the title and the options: E0594 on a binding that is not `mut` is not
"assignment through a shared reference", and its ways out are about the binding. Real cargo."""

from __future__ import annotations

from pathlib import Path

import pytest

from engine.explain.api import explain_report
from toolbelt.cargo_run import run_check

NOT_MUT = """pub struct Stats { pub count: u32 }

pub fn tally(xs: &[u32]) -> u32 {
    let stats = Stats { count: 0 };
    for _ in xs { stats.count += 1; }
    stats.count
}
"""

BEHIND_REF = """pub struct Stats { pub count: u32 }

pub fn bump(stats: &Stats) {
    stats.count += 1;
}
"""


def _story(tmp: Path, name: str, src: str):
    root = tmp / name
    (root / "src").mkdir(parents=True)
    (root / "Cargo.toml").write_text(f'[package]\nname = "{name}"\nversion = "0.1.0"\nedition = "2021"\n')
    (root / "src" / "lib.rs").write_text(src)
    (e,) = [e for e in explain_report(run_check(root, target_dir=tmp / "target")) if e.code == "E0594"]
    return e


@pytest.mark.slow
def test_a_binding_that_is_not_mut_is_not_called_a_shared_reference(tmp_path: Path) -> None:
    e = _story(tmp_path, "notmut", NOT_MUT)
    assert e.title == "assignment to a binding that is not mut"
    assert [o.name for o in e.options] == ["declare it mut", "build the value once"]
    assert "reference" not in e.summary
    shared = _story(tmp_path, "behindref", BEHIND_REF)  # the entry's own text still serves this one
    assert shared.title == "assignment through a shared reference"
    assert any(o.name == "take &mut" for o in shared.options)
