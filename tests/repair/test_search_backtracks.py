"""Backtracking is bounded by the user's `--budget`, with no count of its own: real cargo, real `rusta fix`.

The crate has one slip twice over: `let buf = r.fill_buf();` used as a slice in two functions. rustc
suggests `buf?` at each use; taken as a step, that removes the error and leaves a use after move, a
dead end that only `?` at the binding avoids. Unwinding the first function's dead ends also undoes
the second function's right step, so the search needs more than the three backtracks it was once
capped at: a budget that affords them finishes, a smaller one says the budget stopped it. The
crate's one test passes once both are fixed, so `--yes` applies the fix without `--accept maybe`.
"""

from __future__ import annotations

import json
from pathlib import Path

from engine.repair.search import repair
from engine.repair.types import Trial
from tests.cli_runner import rusta
from toolbelt.cargo_run import run_check

TWO_SLIPS = """use std::io::{self, BufRead};

pub fn first(r: &mut dyn BufRead) -> io::Result<usize> {
    let buf = r.fill_buf();
    if buf.is_empty() {
        return Ok(0);
    }
    Ok(buf.len())
}

pub fn second(r: &mut dyn BufRead) -> io::Result<u8> {
    let buf = r.fill_buf();
    if buf.is_empty() {
        return Ok(0);
    }
    Ok(buf[0])
}

#[cfg(test)]
mod tests {
    #[test]
    fn reads_both() {
        let mut r: &[u8] = b"ab";
        assert_eq!(super::first(&mut r).unwrap(), 2);
        assert_eq!(super::second(&mut r).unwrap(), b'a');
    }
}
"""


def _crate(root: Path) -> Path:
    (root / "src").mkdir(parents=True)
    (root / "Cargo.toml").write_text(
        f'[package]\nname = "{root.name}"\nversion = "0.1.0"\nedition = "2021"\n'
    )
    (root / "src" / "lib.rs").write_text(TWO_SLIPS)
    return root


def test_a_budget_that_affords_more_than_three_backtracks_finishes(tmp_path: Path) -> None:
    root = _crate(tmp_path / "slips")
    trials: list[Trial] = []
    result = repair(root, budget=40, rank_with_lm=False, on_trial=trials.append)
    assert result.status == "fixed", result.message
    taken = sum(t.note.startswith("step:") for t in trials)
    assert taken - len(result.steps) > 3  # each step taken and not kept was undone by a backtrack
    assert result.validations <= 40
    for rel, data in result.files:
        (root / rel).write_bytes(data)
    text = (root / "src" / "lib.rs").read_text()
    assert text.count("let buf = r.fill_buf()?;") == 2 and "buf?" not in text
    assert run_check(root).status == "clean"


def test_a_budget_too_small_to_undo_the_dead_ends_is_named_as_the_reason(tmp_path: Path) -> None:
    result = repair(_crate(tmp_path / "short"), budget=12, rank_with_lm=False)
    assert result.status in ("partial", "abstained")
    assert result.left and all("--budget" in x.reason for x in result.left), result.left


def test_rusta_fix_yes_with_a_larger_budget_repairs_the_crate(tmp_path: Path) -> None:
    root = _crate(tmp_path / "cli")
    done = rusta("fix", str(root), "--yes", "--json", "--budget", "40", "--min-confidence", "0")
    assert done.returncode == 0, done.stdout + done.stderr
    out = json.loads(done.stdout)
    assert out["status"] == "applied" and out["repair"] == "fixed"
    assert (root / "src" / "lib.rs").read_text().count("let buf = r.fill_buf()?;") == 2
