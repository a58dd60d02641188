"""Repair a crate that compiles but fails tests: localize, generate grammar edits on the most suspect
lines, and validate them in the scratch copy.

Validation is two-stage: the failing tests alone first (`--exact` filters: most candidates are
rejected in one incremental build and a few tests), then the whole suite, judged against the test
baseline (a test that already failed at HEAD is not the candidate's fault). Candidates are ordered by
the Action head fitted for grammar edits (`engine.testrepair.order`: P(exact restore) from the line's
P(buggy), the edit's kind and place among its line's alternatives, the panic's words and the byte LM's
delta when it is on); `order="random"` shuffles them for the bench's baseline row. Test code is never
edited: the grammar has no site there, and a candidate touching a file outside the library is dropped
before it is tried. After a green edit, up to WEAK_CHECK other edits at the same site are validated:
when one passes too, the tests cannot tell the two apart, and Rusta says so rather than calling her
edit the fix.
"""

from __future__ import annotations

import random
import threading
import time
from collections.abc import Callable, Mapping, Sequence
from typing import Literal

import msgspec

from engine.edits import edit_id
from engine.heads.action import ActionHead
from engine.heads.naturalness import Scorer, delta_bits
from engine.repair.baseline import judge
from engine.repair.types import Baseline, Candidate, Trial
from engine.repair.workspace import Workspace
from engine.testrepair.coverage import line_spectra, measure
from engine.testrepair.grammar import mutants
from engine.testrepair.localize import localize
from engine.testrepair.order import failure_words, head_order, shipped_action, views
from engine.testrepair.signals import library_file, test_files
from engine.testrepair.types import Localization, Mutant
from toolbelt.cargo_run import run_test
from toolbelt.types import TestResult

Order = Literal["rank", "random"]
TOP_LINES = 12  # lines whose edits are generated; the budget, not this, usually ends the search
_CONTEXT = 160  # bytes on each side of an edit that the LM reads
WEAK_CHECK = 4  # after a green edit, this many of its site's other edits at most (a relational site has 4)


class TestRepairOutcome(msgspec.Struct, frozen=True, kw_only=True):
    __test__ = False  # pytest: not a test class
    localization: Localization
    trials: tuple[Trial, ...]
    green: Trial | None
    files: tuple[tuple[str, bytes], ...] = ()  # the green candidate's changed files
    candidates: int = 0  # generated on the top lines
    validations: int = 0
    stop: str = ""  # why the search ended without a green candidate
    # other edits at the green edit's site that pass every test as well: the tests do not pin the
    # behaviour there, so the green edit may be one the tests merely accept
    also_green: tuple[Trial, ...] = ()


def _lm_deltas(ms: list[Mutant], data: bytes, lm: Scorer) -> list[float]:
    """Bits each edit adds to the code around it (negative: the edit reads more natural)."""
    regions = []
    for m in ms:
        lo, hi = max(0, m.edit.start - _CONTEXT), min(len(data), m.edit.end + _CONTEXT)
        after = data[lo : m.edit.start] + m.edit.replacement.encode() + data[m.edit.end : hi]
        regions.append((data[lo:hi], after))
    return delta_bits(regions, lm)


Pool = list[tuple[Mutant, float, int]]  # (edit, prior, its line's rank in the localization)


def pool(
    loc: Localization, files: dict[str, bytes], *, lm: Scorer | None, top: int = TOP_LINES
) -> tuple[Pool, list[float | None]]:
    """The edits on the `top` most suspect lines in the prior order (P(line) over the edit's place
    among its line's alternatives, the LM's most natural first when it is on), with their LM deltas."""
    tests_only = test_files(files)
    raw: Pool = []
    deltas: list[float | None] = []
    for rank, s in enumerate(loc.suspects[:top]):
        if not library_file(s.file, tests_only):
            continue
        ms = mutants(files[s.file], s.file, [s.line])
        ds: list[float | None] = [None] * len(ms)
        if lm is not None and ms:
            got = _lm_deltas(ms, files[s.file], lm)
            pairs = sorted(zip(got, range(len(ms)), ms, strict=True), key=lambda t: (t[0], t[1]))
            ms, ds = [m for _, _, m in pairs], [d for d, _, _ in pairs]
        raw.extend((m, s.score / (1 + k), rank) for k, m in enumerate(ms))
        deltas.extend(ds)
    prior = sorted(range(len(raw)), key=lambda i: -raw[i][1])
    return [raw[i] for i in prior], [deltas[i] for i in prior]


def candidates(
    loc: Localization,
    files: dict[str, bytes],
    *,
    lm: Scorer | None,
    order: Order = "rank",
    seed: int = 0,
    top: int = TOP_LINES,
    message: str = "",
    head: ActionHead | None | Literal["shipped"] = "shipped",
) -> list[tuple[Mutant, float]]:
    """(mutant, prior) for the edits on the `top` most suspect lines, in the order to try them: the
    Action head's (`engine.testrepair.order`) interleaved with the prior order, the prior order
    without a head, shuffled for `random`."""
    raw, deltas = pool(loc, files, lm=lm, top=top)
    if order == "random":
        out = [(m, p) for m, p, _ in raw]
        random.Random(seed).shuffle(out)
        return out
    h = shipped_action(lm is not None) if head == "shipped" else head
    if h is None or not raw:
        return [(m, p) for m, p, _ in raw]
    merged = _interleave(head_order(h, views(raw, message, deltas)), list(range(len(raw))))
    return [(raw[i][0], raw[i][1]) for i in merged]


def _interleave(first: list[int], second: list[int]) -> list[int]:
    """Alternate two orders, each index once. The head was fitted on 90 episodes covering 12 of the
    grammar's kinds; an edit of a kind it never saw (`..` for `..=`) could sink below the budget in
    its order alone, so the prior order keeps every other turn: no edit waits more than twice its
    place in either order."""
    out: list[int] = []
    seen: set[int] = set()
    for pair in zip(first, second, strict=True):
        for i in pair:
            if i not in seen:
                seen.add(i)
                out.append(i)
    return out


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


def measured_localization(
    ws: Workspace,
    files: Mapping[str, bytes],
    failing: Sequence[TestResult],
    passing: Sequence[str],
    *,
    lm: Scorer | None,
    coverage: bool = True,
    timeout_s: float = 120.0,
    cancel: threading.Event | None = None,
) -> Localization:
    """The ranking `rusta fix`, `rusta test --explain` and the bench share: coverage measured with one
    probed run of these tests (unless `coverage` is off, or the probed build fails), then localize."""
    names = [t.name for t in failing]
    spectra = None
    if coverage:
        cov = measure(ws, files, [*names, *passing], timeout_s=timeout_s, cancel=cancel)
        spectra = line_spectra(cov, names, passing) if cov is not None else None
    return localize(files, failing, passing, lm=lm, spectra=spectra)


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
    coverage: bool = True,
) -> TestRepairOutcome:
    """Measure coverage (one probed run, unless `coverage` is off), localize, then try grammar edits
    until one makes every blamed test pass, or the budget ends.

    `ws` is synced and holds the user's code; it holds it again when this returns.
    """
    files = {rel: data for rel in ws.files() if (data := ws.read(rel)) is not None}
    names = [t.name for t in failing]
    loc = measured_localization(
        ws, files, failing, passing, lm=lm, coverage=coverage, timeout_s=timeout_s, cancel=cancel
    )
    if on_localized is not None:
        on_localized(loc)
    cands = candidates(loc, files, lm=lm, order=order, seed=seed, message=failure_words(failing))
    trials: list[Trial] = []

    def attempt(m: Mutant, prio: float) -> tuple[Trial, tuple[tuple[str, bytes], ...]]:
        cand = _candidate(m, names, prio)
        before = ws.try_edits(cand.edits)
        try:
            trial = _validate(ws, cand, names, baseline, cancel, timeout_s, time.monotonic())
            changed: tuple[tuple[str, bytes], ...] = ()
            if trial.verdict == "apply-safe":
                changed = tuple(sorted((rel, new) for rel, (_, new) in ws.changed_against_source().items()))
        finally:
            ws.revert(before)  # the user's code again, even on Ctrl-C or a cargo that cannot run
        trials.append(trial)
        if on_trial is not None:
            on_trial(trial)
        return trial, changed

    stop = "every candidate was tried"
    for n, (m, prio) in enumerate(cands):
        if len(trials) >= budget:
            stop = f"the budget of {budget} validations ran out"
            break
        if cancel is not None and cancel.is_set():
            stop = "cancelled"
            break
        trial, changed = attempt(m, prio)
        if trial.verdict == "apply-safe":
            also: list[Trial] = []
            rivals = [c for c in cands[n + 1 :] if _same_site(c[0], m)][
                : min(WEAK_CHECK, budget - len(trials))
            ]
            for r, rp in rivals:  # do the tests tell this edit from its site's other readings?
                if cancel is not None and cancel.is_set():
                    break
                other, _ = attempt(r, rp)
                if other.verdict == "apply-safe":
                    also.append(other)
            return TestRepairOutcome(
                localization=loc,
                trials=tuple(trials),
                green=trial,
                files=changed,
                candidates=len(cands),
                validations=len(trials),
                also_green=tuple(also),
            )
    return TestRepairOutcome(
        localization=loc,
        trials=tuple(trials),
        green=None,
        candidates=len(cands),
        validations=len(trials),
        stop=stop,
    )


def _same_site(a: Mutant, b: Mutant) -> bool:
    return (a.edit.file, a.edit.start, a.edit.end) == (b.edit.file, b.edit.start, b.edit.end)


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
