"""The repair engine on real crates with real cargo: green fixes only, the user's files untouched."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from engine.repair.search import repair
from engine.repair.targets import next_target
from toolbelt import demo
from toolbelt.cargo_run import run_check, run_test


def _digest(root: Path) -> str:
    h = hashlib.sha256()
    for p in sorted(root.rglob("*")):
        if p.is_file() and "target" not in p.parts:
            h.update(p.relative_to(root).as_posix().encode() + p.read_bytes())
    return h.hexdigest()


def test_repairs_every_mistake_and_leaves_user_files_alone(fixture_crate):
    root = fixture_crate("repair_mistakes")
    before = _digest(root)
    result = repair(root, budget=30)
    assert result.status == "fixed", result.message
    assert _digest(root) == before, "repair must work in its scratch copy only"
    assert {f for f, _ in result.files} == {"src/lib.rs"}
    codes = {c for t in result.steps for c in t.candidate.addresses}
    assert {"E0382", "E0384", "E0308", "E0369"} <= codes
    assert result.steps[-1].verdict == "apply-safe" and result.steps[-1].test_status == "passed"
    # The proposed content really is green: write it and run the tests ourselves.
    for rel, data in result.files:
        (root / rel).write_bytes(data)
    assert run_test(root).status == "passed"


def test_a_fix_that_compiles_but_fails_tests_is_never_offered(fixture_crate):
    root = fixture_crate("repair_red")
    before = _digest(root)
    result = repair(root, budget=6)
    assert result.status == "abstained"
    assert result.diff == "" and result.files == ()
    assert any(t.check_status == "clean" and t.verdict == "red" for t in result.trials), [
        (t.candidate.family, t.verdict, t.test_status) for t in result.trials
    ]
    assert _digest(root) == before
    assert "E0384" in result.message


def test_clean_crate_needs_nothing(fixture_crate):
    root = fixture_crate("gym_small")
    assert repair(root).status == "clean"


@pytest.mark.parametrize("budget", [0])
def test_zero_budget_abstains_without_trying(fixture_crate, budget):
    root = fixture_crate("repair_red")
    result = repair(root, budget=budget)
    assert result.status == "abstained" and result.validations == 0


def test_next_target_does_not_follow_cargo_output_order(tmp_path):
    """The demo's lib and its test harness both report E0369, in whichever order cargo finishes them."""
    report = run_check(demo.reset(tmp_path / "demo"))
    errors = [d for d in report.diagnostics if d.level == "error"]
    assert len([d for d in errors if d.code_str == "E0369"]) == 2  # the same mistake, two units
    firsts = {id(next_target(order)) for order in (errors, errors[::-1], errors[1:] + errors[:1])}
    assert len(firsts) == 1
    later = [d for d in errors if d is not next_target(errors)]
    assert {id(next_target(o)) for o in (later, later[::-1])} == {id(next_target(later))}
