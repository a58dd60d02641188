"""How a repair ends: the RepairResult for a clean crate, a fix, a partial fix or an abstention.

The search (`engine.repair.search`) decides; these functions say it: the diff against the user's
files, the leftovers with their reasons, the test baseline's verdicts and the Confidence head's rating.
"""

from __future__ import annotations

import time
from typing import TYPE_CHECKING

from engine.edits import unified_diff
from engine.repair import headorder
from engine.repair.baseline import judge
from engine.repair.errors import RepairError
from engine.repair.reasons import (
    Attempt,
    code_of,
    count,
    explain,
    names,
    not_run,
    reason,
    stopped_message,
)
from engine.repair.targets import errors_of, keep_index, phase, place, stable_keys
from engine.repair.types import Alternative, Leftover, RepairResult, Trial
from toolbelt.cargo_run import run_test
from toolbelt.types import CheckReport

if TYPE_CHECKING:
    from engine.repair.search import _Search


def clean(s: _Search) -> RepairResult:
    """cargo check is clean: nothing to repair only if the tests pass too (or were not asked for)."""
    if not s.run_tests:
        return result(
            s, "clean", "cargo check reports no errors; tests not run (--no-tests); nothing to repair."
        )
    tests = run_test(s.ws.root, cancel=s.cancel, backtrace=True)  # frames localize a failure
    if tests.status == "passed":
        n = sum(t.status == "ok" for t in tests.tests)
        return result(s, "clean", f"cargo check reports no errors and all {n} tests pass; nothing to repair.")
    if tests.status in ("timeout", "error"):
        raise RepairError(
            f"cargo check is clean, but cargo test did not finish: {s.ws.user_text(tests.message)}"
        )
    if tests.status == "build_failed":
        return result(
            s,
            "failing-tests",
            "cargo check is clean, but the tests do not compile; Rusta repairs what cargo check reports.",
            failing=not_run(tests),
        )
    base = s.baseline()
    blamed, pre = judge(tests.tests, base)
    failing = (*blamed, *pre)
    msg = f"cargo check is clean, but {count(len(failing), 'test')} fail: {names(failing)}."
    if pre:
        msg += f" {count(len(pre), 'test')} already failed at {base.label}: {names(pre)}."
    if blamed:
        from engine.testrepair.bridge import repair_failing

        return repair_failing(s, tests, blamed, pre, msg)
    msg += " Each failed there already; Rusta leaves them as they were."
    return result(s, "failing-tests", msg, failing=failing, pre=pre)


def stopped(
    s: _Search, initial: CheckReport, attempts: dict[tuple, Attempt], stop: str, held: tuple
) -> RepairResult:
    """No complete fix: keep the longest run of steps the patch gate will call green, say the rest."""
    attempts = s.restore_best_partial(initial, attempts)
    keep = keep_index(errors_of(initial), [errors_of(rep) for _, rep, _ in s.states])
    if keep is None:
        s.ws.set_state({})
        final, kept = initial, []
    else:
        s.ws.set_state(s.states[keep][0])
        final, kept = s.states[keep][1], s.steps[: keep + 1]
    dropped = {k for _, _, k in s.states[(keep if keep is not None else -1) + 1 :]}
    base = s._baseline
    label = base.label if base is not None and base.usable else ""
    note = base.note if base is not None else ""
    errors = errors_of(final)
    keys = stable_keys(errors)
    left: list[Leftover] = []
    seen = set()
    for d in sorted(errors, key=lambda d: (phase(d), place(d))):
        k = keys[id(d)]
        if k in seen:
            continue
        seen.add(k)
        if k in attempts:
            why = reason(attempts[k], label, note)
        elif k in dropped:
            why = "its fix brought new errors that Rusta could not fix, so it is left out"
            why += f"; {stop}" if stop else ""
        else:
            why = f"not tried: {stop or 'the search stopped'}"
        left.append(
            Leftover(code=code_of(d), message=s.ws.user_text(d.message), where=s.where(d), reason=why)
        )
    s.steps = kept
    n_before = len(set(stable_keys(errors_of(initial)).values()))
    # Tests never ran on kept steps alone (the crate did not compile); if they ran once the steps
    # plus a last candidate compiled and a test broke, a step may share the blame.
    suspect = sorted({n for k, names in s.red_runs if min(k, len(kept)) > 0 for n in names})
    msg = stopped_message(bool(kept), n_before, left, suspect)
    return result(s, "partial" if kept else "abstained", msg, left=tuple(left), held=held)


def result(
    s: _Search,
    status: str,
    message: str = "",
    alts: tuple[Alternative, ...] = (),
    held: tuple[Alternative, ...] = (),
    left: tuple[Leftover, ...] = (),
    failing: tuple[str, ...] = (),
    pre: tuple[str, ...] = (),
) -> RepairResult:
    ws = s.ws
    changed = ws.changed_against_source()
    diff = unified_diff({k: v[0] for k, v in changed.items()}, {k: v[1] for k, v in changed.items()})
    files = tuple(sorted((rel, new) for rel, (_, new) in changed.items()))
    if status not in ("fixed", "partial"):
        ws.set_state({})
        diff, files = "", ()
    base = s._baseline
    last = s.steps[-1] if status == "fixed" else None
    if last is not None:
        pre = last.preexisting_failures
    explanation = message
    if status in ("fixed", "partial"):
        explanation = explain(s.steps, base, status == "fixed") + (
            " " + message if status == "partial" else ""
        )
    return RepairResult(
        crate_root=str(s.root),
        status=status,  # type: ignore[arg-type]
        steps=tuple(s.steps),
        trials=tuple(s.trials),
        diff=diff,
        files=files,
        alternatives=alts,
        explanation=explanation,
        validations=s.validations,
        duration_s=time.monotonic() - s.t0,
        message=message,
        baseline=base.label if base is not None and base.usable else "",
        baseline_note=base.note if base is not None and not base.usable else "",
        baseline_failing=tuple(
            sorted(t.name for t in base.tests if t.status == "failed")
            if base is not None and base.usable
            else ()
        ),
        preexisting_failures=tuple(pre),
        failing_tests=tuple(failing),
        left=left,
        held_back=held,
        confidence=headorder.confidence_of(s.steps)
        if status in ("fixed", "partial") and s.head is not None
        else None,
    )


def alternative(t: Trial, changed: dict[str, tuple[bytes, bytes]]) -> Alternative:
    diff = unified_diff({k: v[0] for k, v in changed.items()}, {k: v[1] for k, v in changed.items()})
    files = tuple(sorted((rel, new) for rel, (_, new) in changed.items()))
    return Alternative(
        description=t.candidate.description,
        family=t.candidate.family,
        verdict=t.verdict,
        diff=diff,
        files=files,
    )
