"""A warning about a name a compile error also touches gets no fix while the error stands (its fix can
fight the error's: `unused_mut` on `players` while `players.iter()` needs `iter_mut()`); a warning
about anything else keeps its fix. Real cargo on two small crates."""

from __future__ import annotations

from pathlib import Path

import pytest

from engine.explain.api import explain_report
from engine.explain.retract import CASCADE
from toolbelt.cargo_run import run_check

PLAYERS = """pub struct Player { pub score: u32 }

pub fn bonus() -> u32 {
    let mut players = vec![Player { score: 1 }];
    for p in players.iter() {
        p.score += 10;
    }
    let spare = 3;
    players[0].score
}
"""

TOTALS = """pub fn total(xs: &[u32]) -> u32 {
    let mut sum = 0;
    for x in xs.iter() {
        *x += 1;
    }
    let unused = 7;
    sum
}
"""


def _stories(tmp: Path, name: str, src: str):
    root = tmp / name
    (root / "src").mkdir(parents=True)
    (root / "Cargo.toml").write_text(f'[package]\nname = "{name}"\nversion = "0.1.0"\nedition = "2021"\n')
    (root / "src" / "lib.rs").write_text(src)
    return explain_report(run_check(root, target_dir=tmp / f"target-{name}"))


def _warning(stories, words: str):
    return next(e for e in stories if e.level == "warning" and words in e.message)


@pytest.mark.slow
def test_unused_mut_on_the_binding_the_error_iterates_has_no_fix(tmp_path: Path) -> None:
    stories = _stories(tmp_path, "players", PLAYERS)
    assert any(e.level == "error" for e in stories)
    tied = _warning(stories, "does not need to be mutable")  # `players`: the error's fix needs its `mut`
    assert tied.fixes == () and CASCADE in tied.facts
    free = _warning(stories, "`spare`")  # nothing to do with the error
    assert free.fixes and CASCADE not in free.facts


@pytest.mark.slow
def test_a_warning_on_a_name_the_error_never_touches_keeps_its_fix(tmp_path: Path) -> None:
    stories = _stories(tmp_path, "totals", TOTALS)
    assert any(e.level == "error" for e in stories)
    for words in ("does not need to be mutable", "`unused`"):  # `sum` and `unused` are not the error's
        e = _warning(stories, words)
        assert e.fixes and CASCADE not in e.facts
