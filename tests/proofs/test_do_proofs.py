"""The loop's Do earns the proofs (real cargo, the real DevLog, the real CLI): `rusta explain --apply N`
prints which ran (check, tests, fuzz for N inputs, bench or why not) and puts them in --json; a
behaviour-changing refactor offered for a warning is refused by fuzzing and never reaches the files."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from diary.devlog import DevLog
from engine.explain.api import explain_report
from engine.loop import CoreLoop
from tests.proofs.crates import diff_of, make_crate, run_rusta
from toolbelt.cargo_run import run_check

pytestmark = pytest.mark.slow

LIB = """\
/// True when the label holds nothing.
pub fn is_blank(label: &str) -> bool {
    label.len() == 0
}

/// The label with a prefix when it is blank.
pub fn shown(label: &str) -> String {
    if is_blank(label) { "(none)".to_string() } else { label.to_string() }
}

#[cfg(test)]
mod tests {
    #[test]
    fn blank() {
        assert!(super::is_blank(""));
    }
}
"""


def test_explain_apply_prints_and_returns_the_proofs_of_a_lint_fix(tmp_path: Path) -> None:
    os.environ.setdefault("RUSTA_CACHE_DIR", str(tmp_path / "cache"))
    crate = make_crate(tmp_path / "c", LIB, name="blanks")
    out = run_rusta(crate, "explain", "--code", "clippy::len_zero", "--apply", "1")
    assert out.returncode == 0, out.stdout + out.stderr
    assert "label.is_empty()" in (crate / "src" / "lib.rs").read_text()
    assert "  proof passed: cargo test: 1 of 1 test(s) passed." in out.stdout
    assert "  proof passed: fuzz is_blank: old and new agree on " in out.stdout, out.stdout
    assert "  proof skipped: bench: not run: the patch changes no fn marked hot" in out.stdout
    run_rusta(crate, "undo")
    assert run_rusta(crate, "hot", "add", "is_blank").returncode == 0
    out = run_rusta(crate, "explain", "--json", "--code", "clippy::len_zero", "--apply", "1")
    (do,) = [json.loads(line) for line in out.stdout.splitlines() if '"kind": "do"' in line]
    kinds = [(p["kind"], p["status"]) for p in do["proofs"]]
    assert ("fuzz", "passed") in kinds and do["applied"], do
    timed = [p for p in do["proofs"] if p["kind"] == "bench" and p["detail"].startswith("bench is_blank:")]
    assert len(timed) == 1 and timed[0]["bench"] is not None, do["proofs"]  # hot: timed without asking


def test_a_refactor_that_changes_behaviour_is_refused_by_fuzzing_and_logged(tmp_path: Path) -> None:
    os.environ.setdefault("RUSTA_CACHE_DIR", str(tmp_path / "cache"))
    crate = make_crate(tmp_path / "c", LIB, name="blanks")
    stories = [e for e in explain_report(run_check(crate, tool="clippy")) if e.code == "clippy::len_zero"]
    # a "simplification" a user might pick for the lint: it drops whitespace-only labels too
    wrong = diff_of(crate, LIB.replace("label.len() == 0", "label.trim().is_empty()"))
    loop = CoreLoop(crate)
    loop.say("answer the len_zero lint")
    loop.explain(tuple(stories))
    result = loop.do(0, diff=wrong, fuzz="refactor")
    loop.close()
    assert not result.applied and result.verdict == "red", result
    (fuzz,) = [p for p in result.proofs if p.kind == "fuzz"]
    assert fuzz.status == "failed" and fuzz.cases, fuzz.detail
    assert any(c.before == "false" and c.after == "true" for c in fuzz.cases), fuzz.cases  # e.g. " "
    assert "fuzz is_blank: the refactor changes behaviour on " in fuzz.detail
    assert (crate / "src" / "lib.rs").read_text() == LIB  # never reached the files
    log = DevLog.open(crate, readonly=True)
    refused = [e for e in log.entries() if e.kind == "validation" and e.payload.get("step") == "do"]
    assert refused and any(
        p["kind"] == "fuzz" and p["status"] == "failed" for p in refused[-1].payload["proofs"]
    )
