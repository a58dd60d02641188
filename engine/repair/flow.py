"""The fix flow shared by `rusta fix` and the app: repair, turn the result into a Patch, apply it.

Every step is in the DevLog: the intent before anything runs, one action record per candidate tried
(the episodes the heads learn from), the validation, and a reflection that settles the intent. The
final write goes through the reversible-patch path, which validates again in its own sandbox: the
repair's scratch verdict is evidence, the patch path is the gate.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from pathlib import Path

import msgspec

from diary.devlog import DevLog
from diary.tasks import settling
from engine.patching import api as patching
from engine.patching.types import BenchPolicy, DiagnosticRef, OpRecord, Patch, Validation
from engine.repair.baseline import test_key
from engine.repair.search import Accept, repair
from engine.repair.types import RepairResult, Trial
from toolbelt.types import Diagnostic


class Proposal(msgspec.Struct, frozen=True, kw_only=True):
    result: RepairResult
    patch: Patch | None
    task: str | None


def _trial_payload(t: Trial) -> dict:
    c = t.candidate
    return {
        "summary": f"tried {c.description} ({c.family}) for {', '.join(c.addresses)}: {t.verdict}",
        "op": "try",
        "candidate": c.id,
        "family": c.family,
        "source": c.source,
        "addresses": list(c.addresses),
        "edits": [msgspec.to_builtins(e) for e in c.edits],
        "verdict": t.verdict,
        "check": t.check_status,
        "tests": t.test_status,
        "errors_after": t.errors_after,
        "seconds": round(t.duration_s, 3),
        "failing_tests": list(t.failing_tests),
        "preexisting_failures": list(t.preexisting_failures),
    }


def propose(
    root: Path,
    *,
    budget: int = 12,
    run_tests: bool = True,
    log: DevLog | None = None,
    cancel: threading.Event | None = None,
    alternatives: int = 1,
    accept: Accept = "maybe",
    focus: Callable[[Diagnostic], bool] | None = None,
) -> Proposal:
    """Run the repair and turn a complete ("fixed") or partial fix into a Patch; other outcomes have none.
    `focus` aims the repair at the errors it accepts (`engine.repair.search.repair`)."""
    task = None
    if log is not None:
        task = log.append("intent", {"summary": f"repair the errors in {root.name}", "goal": "repair"})

    def on_trial(t: Trial) -> None:
        if log is not None:
            log.append("action", _trial_payload(t), task=task)

    def on_note(payload: dict) -> None:
        if log is not None:
            log.append("note", payload, task=task)

    with settling(log, lambda: task):
        result = repair(
            root,
            budget=budget,
            run_tests=run_tests,
            on_trial=on_trial,
            cancel=cancel,
            alternatives=alternatives,
            accept=accept,
            on_note=on_note,
            focus=focus,
        )
    patch = None
    if result.status in ("fixed", "partial") and result.diff:
        refs = tuple(
            DiagnosticRef(message=t.candidate.description, code=(t.candidate.addresses or (None,))[0])
            for t in result.steps
        )
        patch = Patch.new(result.diff, result.explanation, addresses=refs)
    elif log is not None and task is not None:
        outcome = "done" if result.status == "clean" else "abandoned"
        log.append(
            "reflection", {"summary": result.message or result.status, "outcome": outcome}, settles=task
        )
    return Proposal(result=result, patch=patch, task=task)


def choose(proposal: Proposal, index: int) -> Proposal:
    """The proposal with green alternative `index` (0 = the one Rusta ranked first) as its patch."""
    alts = proposal.result.alternatives
    if not 0 <= index < len(alts):
        from engine.repair.errors import RepairError

        raise RepairError(f"there is no alternative {index + 1}; pick 1 to {len(alts)}.")
    if index == 0:
        return proposal
    alt = alts[index]
    assert proposal.patch is not None
    explanation = proposal.patch.explanation.replace(alts[0].description, alt.description, 1)
    patch = Patch.new(alt.diff, explanation, addresses=proposal.patch.addresses)
    return msgspec.structs.replace(proposal, patch=patch)


def validate(
    root: Path,
    proposal: Proposal,
    *,
    log: DevLog | None = None,
    cancel: threading.Event | None = None,
    fuzz: bool = False,
    bench: BenchPolicy | None = None,
    on_stage: Callable[[str], None] | None = None,
) -> Validation:
    """The patch gate's verdict on the proposal; `cancel` stops its cargo (the verdict is then red).

    `fuzz` runs the changed fns old and new on the same generated inputs once the rest is green, as
    a fix (a behaviour change is evidence, the input that shows it is reported); `bench` times them
    (engine.patching.api.validate). Both come after the rejudging, so a fix whose only failing tests
    failed at the baseline is proved too."""
    assert proposal.patch is not None
    v = rejudge(patching.validate(root, proposal.patch, cancel=cancel), proposal.result)
    if fuzz or bench is not None:
        v = patching.prove(
            root, proposal.patch, v, fuzz="fix" if fuzz else None, bench=bench, on_stage=on_stage
        )
    if log is not None:
        log.append(
            "validation",
            {
                "summary": f"sandbox: {v.verdict}: {v.reason.rstrip('.')}",
                "tool": "test",
                "ok": v.green,
                "errors": v.errors_after,
                "failed_tests": list(v.failing_tests),
                "proofs": [msgspec.to_builtins(p) for p in v.proofs],
            },
            task=proposal.task,
        )
    return v


def rejudge(v: Validation, result: RepairResult) -> Validation:
    """The gate's verdict, with tests that already failed at the repair's baseline not blamed.

    The gate compares the patched crate with the crate as it is, which does not compile, so it has
    no test results to compare with and blames every failing test. The repair knows better: its
    baseline is the last state that compiled (HEAD or a green snapshot). Only a red verdict whose
    every blamed test failed there turns green, and the reason says so; anything else stands.
    """
    if v.green or not result.baseline or v.errors_after or v.test_status != "failed" or not v.failing_tests:
        return v
    old = {test_key(n) for n in result.baseline_failing}
    if any(test_key(n) not in old for n in v.failing_tests):
        return v
    pre = tuple(sorted({*v.preexisting_failures, *v.failing_tests}))
    reason = (
        f"cargo check is clean and no test fails that did not fail at {result.baseline}; "
        f"{len(pre)} already failed there: {', '.join(pre)}."
    )
    # the gate's tests proof blamed them too; under the baseline rule the proof holds, and says why
    proofs = tuple(
        msgspec.structs.replace(
            p,
            status="passed",
            detail=f"cargo test: {p.passed} of {p.count} test(s) passed; no test that passed at "
            f"{result.baseline} fails, and the {len(pre)} that failed there are not the patch's.",
        )
        if p.kind == "tests" and p.status == "failed"
        else p
        for p in v.proofs
    )
    return msgspec.structs.replace(
        v, verdict="green", reason=reason, failing_tests=(), preexisting_failures=pre, proofs=proofs
    )


def commit(root: Path, proposal: Proposal, validation: Validation, *, log: DevLog | None = None) -> OpRecord:
    """Apply a green proposal through the reversible-patch path and settle the repair intent."""
    assert proposal.patch is not None
    op = patching.apply(root, proposal.patch, validation)
    if log is not None and proposal.task is not None:
        log.append(
            "reflection",
            {
                "summary": f"applied {proposal.patch.id} as {op.op_id}; `rusta undo` reverts it",
                "outcome": "done",
                **_steps(proposal),
            },
            settles=proposal.task,
        )
    return op


def decline(
    proposal: Proposal, why: str, *, log: DevLog | None = None, by_user: bool = False, reason: str = ""
) -> None:
    """Settle the repair without applying. `by_user`: the user turned it down (the memory counts it
    against the fix's families, with `reason`); a dry run or a red sandbox is not a rejection."""
    if log is not None and proposal.task is not None:
        p = {"summary": why, "outcome": "rejected", "why": why, **_steps(proposal)}
        if by_user:
            p |= {"by": "user", "reason": reason}
        log.append("reflection", p, settles=proposal.task)


def _steps(proposal: Proposal) -> dict:
    """The patch and, step by step, the code each step fixed and its family (what memory learns)."""
    steps = proposal.result.steps
    return {
        "patch_id": proposal.patch.id if proposal.patch is not None else "",
        "codes": [(t.candidate.addresses or ("",))[0] for t in steps],
        "families": [t.candidate.family for t in steps],
    }
