"""`repair(..., focus=)`: the search aimed at some errors (the app's fix key on one story).

Aimed at one mistake, the repair tries candidates for that mistake only, makes the edit the whole
repair makes for it, and leaves the other errors as they are, each saying why it was not tried.
Shown on two crates: the demo crate and the repair fixture with four kinds of mistake.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from engine.repair import flow
from engine.repair.search import repair
from engine.repair.targets import errors_of, gate_key
from toolbelt import demo
from toolbelt.cargo_run import run_check
from toolbelt.types import Diagnostic

pytestmark = pytest.mark.slow


def changed(diff: str, tag: str) -> set[tuple[str, str]]:
    """(file, line) of every added (`+`) or removed (`-`) line of a unified diff."""
    out, path = set(), ""
    for line in diff.splitlines():
        if line.startswith(("+++ ", "--- ")):
            path = line[6:] if line.startswith("+++ ") else path
        elif line.startswith(tag):
            out.add((path, line[1:]))
    return out


def at(d: Diagnostic) -> tuple[str, int, int]:
    """One mistake: its gate key and where rustc points (the first place in a file with several)."""
    p = d.primary
    return (gate_key(d), p.line_start if p else 0, p.column_start if p else 0)


def _aimed(root: Path, code: str) -> None:
    full = repair(root, budget=30, run_tests=False)
    assert full.status == "fixed", full.message
    first = next(d for d in errors_of(run_check(root)) if d.code_str == code)
    aimed = repair(root, budget=30, run_tests=False, focus=lambda d: at(d) == at(first))
    assert aimed.status == "partial", aimed.message
    assert aimed.trials and all(code in t.candidate.addresses for t in aimed.trials)
    assert [t.candidate.addresses for t in aimed.steps] == [(code,)]
    p = first.primary
    assert f"{p.file_name}:{p.line_start}" not in {x.where for x in aimed.left}
    assert aimed.left and all(x.reason.startswith("not tried: the fix was aimed") for x in aimed.left)
    plus, minus = changed(aimed.diff, "+"), changed(aimed.diff, "-")
    assert plus and plus <= changed(full.diff, "+")  # the edit the whole repair makes for it
    assert minus <= changed(full.diff, "-")


def test_aimed_at_a_borrow_error_in_the_demo_crate(tmp_path: Path) -> None:
    _aimed(demo.reset(tmp_path / "demo-crate"), "E0382")


def test_aimed_at_a_type_error_in_the_repair_fixture(fixture_crate) -> None:
    _aimed(fixture_crate("repair_mistakes"), "E0308")


def test_flow_passes_focus_and_a_missing_focus_abstains(tmp_path: Path) -> None:
    """`flow.propose` hands focus on; a focus that matches no error tries nothing and proposes nothing."""
    root = demo.reset(tmp_path / "demo-crate")
    proposal = flow.propose(root, budget=12, run_tests=False, focus=lambda d: False)
    assert proposal.patch is None and proposal.result.status == "abstained"
    assert proposal.result.trials == () and proposal.result.validations == 0
