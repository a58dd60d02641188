"""Repair a crate that compiles but fails tests: localize, generate grammar edits on the most suspect
lines, and validate them in the scratch copy.

Validation is two-stage: the failing tests alone first (`--exact` filters: most candidates are
rejected in one incremental build and a few tests), then the whole suite, judged against the test
baseline (a test that already failed at HEAD is not the candidate's fault). Candidates are ordered by
the localization's P(line is buggy) divided by the edit's place among its line's alternatives (the
grammar's plausibility order, refined by the byte LM when it is on); `order="random"` shuffles them
for the bench's baseline row. Test code is never edited: the grammar has no site there, and a
candidate touching a file outside the library is dropped before it is tried.
"""

from __future__ import annotations

import random
import threading
import time
from collections.abc import Callable, Sequence
from typing import Literal

import msgspec

from engine.edits import edit_id
from engine.heads.naturalness import Scorer, delta_bits
from engine.repair.baseline import judge
from engine.repair.types import Baseline, Candidate, Trial
from engine.repair.workspace import Workspace
from engine.testrepair.grammar import mutants
from engine.testrepair.localize import localize
from engine.testrepair.signals import library_file, test_files
from engine.testrepair.types import Localization, Mutant
from toolbelt.cargo_run import run_test
from toolbelt.types import TestResult

Order = Literal["rank", "random"]
TOP_LINES = 12  # lines whose edits are generated; the budget, not this, usually ends the search
_CONTEXT = 160  # bytes on each side of an edit that the LM reads


class TestRepairOutcome(msgspec.Struct, frozen=True, kw_only=True):
    __test__ = False  # pytest: not a test class
    localization: Localization
    trials: tuple[Trial, ...]
    green: Trial | None
    files: tuple[tuple[str, bytes], ...] = ()  # the green candidate's changed files
    candidates: int = 0  # generated on the top lines
    validations: int = 0
    stop: str = ""  # why the search ended without a green candidate


def _lm_order(ms: list[Mutant], data: bytes, lm: Scorer) -> list[Mutant]:
    """The line's edits, the one that reads most natural in its context first (stable for ties)."""
    regions = []
    for m in ms:
        lo, hi = max(0, m.edit.start - _CONTEXT), min(len(data), m.edit.end + _CONTEXT)
        after = data[lo : m.edit.start] + m.edit.replacement.encode() + data[m.edit.end : hi]
        regions.append((data[lo:hi], after))
    deltas = delta_bits(regions, lm)
    return [m for _, _, m in sorted(zip(deltas, range(len(ms)), ms, strict=True), key=lambda t: (t[0], t[1]))]


def candidates(
    loc: Localization,
    files: dict[str, bytes],
    *,
    lm: Scorer | None,
    order: Order = "rank",
    seed: int = 0,
    top: int = TOP_LINES,
) -> list[tuple[Mutant, float]]:
    """(mutant, priority) for the edits on the `top` most suspect lines, in the order to try them."""
    tests_only = test_files(files)
    out: list[tuple[Mutant, float]] = []
    for s in loc.suspects[:top]:
        if not library_file(s.file, tests_only):
            continue
        ms = mutants(files[s.file], s.file, [s.line])
        if lm is not None and len(ms) > 1:
            ms = _lm_order(ms, files[s.file], lm)
        out.extend((m, s.score / (1 + k)) for k, m in enumerate(ms))
    if order == "random":
        random.Random(seed).shuffle(out)
        return out
    return sorted(out, key=lambda t: -t[1])


def _candidate(m: Mutant, failing: Sequence[str], prio: float) -> Candidate:
    return Candidate(
        id=edit_id([m.edit]),
        edits=(m.edit,),
        description=m.description,
        source="template",
        family=f"test-repair:{m.kind}",
        addresses=tuple(failing),
        score=round(prio, 6),
    )


def repair_tests(
    ws: Workspace,
    failing: Sequence[TestResult],
    passing: Sequence[str],
    *,
    baseline: Callable[[], Baseline | None],
    budget: int,
    lm: Scorer | None,
    order: Order = "rank",
    seed: int = 0,
    on_trial: Callable[[Trial], None] | None = None,
    on_localized: Callable[[Localization], None] | None = None,
    cancel: threading.Event | None = None,
    timeout_s: float = 120.0,
) -> TestRepairOutcome:
    """Localize, then try grammar edits until one makes every blamed test pass, or the budget ends.

    `ws` is synced and holds the user's code; it holds it again when this returns.
    """
    files = {rel: data for rel in ws.files() if (data := ws.read(rel)) is not None}
    loc = localize(files, failing, passing, lm=lm)
    if on_localized is not None:
        on_localized(loc)
    names = [t.name for t in failing]
    cands = candidates(loc, files, lm=lm, order=order, seed=seed)
    trials: list[Trial] = []
    validations = 0
    stop = "every candidate was tried"
    for m, prio in cands:
        if validations >= budget:
            stop = f"the budget of {budget} validations ran out"
            break
        if cancel is not None and cancel.is_set():
            stop = "cancelled"
            break
        cand = _candidate(m, names, prio)
        before = ws.try_edits(cand.edits)
        validations += 1
        t1 = time.monotonic()
        try:
            trial = _validate(ws, cand, names, baseline, cancel, timeout_s, t1)
        except BaseException:
            ws.revert(before)  # the user's code again, even on Ctrl-C or a cargo that cannot run
            raise
        trials.append(trial)
        if on_trial is not None:
            on_trial(trial)
        if trial.verdict == "apply-safe":
            changed = tuple(sorted((rel, new) for rel, (_, new) in ws.changed_against_source().items()))
            ws.revert(before)
            return TestRepairOutcome(
                localization=loc,
                trials=tuple(trials),
                green=trial,
                files=changed,
                candidates=len(cands),
                validations=validations,
            )
        ws.revert(before)
    return TestRepairOutcome(
        localization=loc,
        trials=tuple(trials),
        green=None,
        candidates=len(cands),
        validations=validations,
        stop=stop,
    )


def _validate(
    ws: Workspace,
    cand: Candidate,
    names: Sequence[str],
    baseline: Callable[[], Baseline | None],
    cancel: threading.Event | None,
    timeout_s: float,
    t1: float,
) -> Trial:
    def trial(
        verdict: str,
        check: str,
        tests: str,
        blamed: Sequence[str] = (),
        pre: Sequence[str] = (),
        note: str = "",
    ) -> Trial:
        return Trial(
            candidate=cand,
            verdict=verdict,  # type: ignore[arg-type]
            check_status=check,
            test_status=tests,
            duration_s=time.monotonic() - t1,
            failing_tests=tuple(blamed),
            preexisting_failures=tuple(pre),
            note=note,
        )

    first = run_test(ws.root, test_filters=names, exact=True, cancel=cancel, timeout_s=timeout_s)
    if first.status == "build_failed":
        return trial("red", "diagnostics", "build_failed", note="does not compile")
    if first.status != "passed":
        still = [t.name for t in first.tests if t.status == "failed"] or list(names)
        return trial("red", "clean", first.status, still, note="the failing tests still fail")
    whole = run_test(ws.root, cancel=cancel, timeout_s=timeout_s)
    if whole.status == "passed":
        return trial("apply-safe", "clean", "passed")
    if whole.status != "failed":
        return trial("red", "clean", whole.status, note=f"the suite did not finish: {whole.status}")
    blamed, pre = judge(whole.tests, baseline())
    if blamed:
        return trial("red", "clean", "failed", blamed, pre, note="it breaks other tests")
    return trial("apply-safe", "clean", "failed", (), pre)
