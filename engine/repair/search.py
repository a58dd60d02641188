"""The repair search: fix errors in dependency order, trying ranked candidates in a scratch copy.

Each step targets the error that blocks the others (name resolution before types before borrows,
denied lints last), tries candidates best-first under the user's budget of validations, keeps the
first that removes the target without adding errors, and re-checks. An error with no green
candidate is set aside and the next one is tried: independent mistakes are fixed independently.
When no error is left the crate's tests decide, against the test baseline (`engine.repair.baseline`):
green means `cargo check` is clean and no test fails that did not already fail at the last state
that compiled. When errors remain, the validated steps found so far are offered as a partial fix,
with what is left and why. Nothing touches the user's files.
"""

from __future__ import annotations

import hashlib
import re
import threading
import time
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import Literal

import msgspec

from diary.worktree import file_lock
from engine.edits import unified_diff
from engine.heads.action import Ranker, shipped_head
from engine.heads.naturalness import Scorer, shipped_lm
from engine.memory import priors as memory_priors
from engine.repair import headorder
from engine.repair.baseline import judge, load
from engine.repair.errors import RepairBusy, RepairError
from engine.repair.names import combined_imports
from engine.repair.reasons import (
    Attempt,
    code_of,
    count,
    explain,
    names,
    not_run,
    reason,
    stopped_message,
    user_span,
)
from engine.repair.suggestions import suggestion_candidates
from engine.repair.templates import template_candidates
from engine.repair.types import Alternative, Baseline, Candidate, Leftover, RepairResult, Trial
from engine.repair.workspace import Workspace
from toolbelt.cargo_run import run_check, run_test
from toolbelt.cargo_workspace import project_root
from toolbelt.crate import read_manifest
from toolbelt.paths import target_dir_for
from toolbelt.types import CheckReport, Diagnostic

Accept = Literal["safe", "maybe"]

_RESOLVE = {"E0432", "E0433", "E0412", "E0425", "E0422", "E0423", "E0531", "E0405", "E0407", "E0583"}
# The borrow checker's own codes (rustc_borrowck). Not every E05xx: E0599 (no method) and E0560 (no
# field) are type errors that hide borrow errors, and were once ordered after them.
_BORROW = {
    "E0373", "E0381", "E0382", "E0384", "E0499", "E0500", "E0501", "E0502", "E0503", "E0505",
    "E0506", "E0507", "E0508", "E0509", "E0510", "E0515", "E0521", "E0524", "E0594", "E0596",
    "E0597", "E0626", "E0712", "E0713", "E0716",
}  # fmt: skip
_ERROR_CODE = re.compile(r"E\d{4}")
_MAX_BACKTRACKS = 3  # dead-end steps undone per repair; the budget bounds the work as well
_TRADE = 2  # new errors a step may trade its target for (see _Search.trade)


def phase(d: Diagnostic) -> int:
    """Compiler phase of a diagnostic: resolution errors hide type errors, which hide borrow errors;
    a denied lint (`#![deny(..)]`, a `clippy::` code, any code that is not E0000-shaped) comes last,
    because the code it lints may still change while the real errors are fixed."""
    code = d.code_str or ""
    if code in _RESOLVE:
        return 0
    if code in _BORROW:
        return 2
    if code and not _ERROR_CODE.fullmatch(code):
        return 3
    return 1


def _errors(report: CheckReport) -> list[Diagnostic]:
    return [d for d in report.diagnostics if d.level.startswith("error")]


def _key(d: Diagnostic) -> tuple:
    p = d.primary
    return (d.code_str, d.message, p.file_name if p else "", p.line_start if p else 0)


def gate_key(d: Diagnostic) -> str:
    """An error as the patch gate counts it (`engine.patching.sandbox`): code, message, file, no line."""
    p = d.primary
    return f"{d.code_str or '-'}|{d.message}|{p.file_name if p else ''}"


def stable_keys(errors: list[Diagnostic]) -> dict[int, tuple]:
    """id(d) -> a key that survives steps elsewhere: (code, message, file, rank among the distinct
    places with that code and message in that file). Lines move when a step adds a line above; the
    lib and its test harness report one mistake twice at one place, and those share a key."""
    places: dict[str, set[tuple[int, int]]] = {}
    for d in errors:
        p = d.primary
        places.setdefault(gate_key(d), set()).add((p.line_start, p.column_start) if p else (0, 0))
    out = {}
    for d in errors:
        p = d.primary
        at = (p.line_start, p.column_start) if p else (0, 0)
        out[id(d)] = (gate_key(d), sorted(places[gate_key(d)]).index(at))
    return out


def keep_index(initial: list[Diagnostic], after_each: list[list[Diagnostic]]) -> int | None:
    """The last step after which the errors are a strict sub-multiset of the initial ones (as the
    patch gate counts them): the longest partial fix that adds no error. None when there is none."""
    before = Counter(gate_key(d) for d in initial)
    keep = None
    for i, errors in enumerate(after_each):
        now = Counter(gate_key(d) for d in errors)
        if not (now - before) and sum(now.values()) < sum(before.values()):
            keep = i
    return keep


def next_target(errors: list[Diagnostic]) -> Diagnostic:
    """The error to repair next: earliest compiler phase, then the earliest place in the source.

    Not cargo's output order: cargo builds the lib and its test harness in parallel, so the same
    mistake reported by both (`&Item` and `&inventory::Item`) arrives in either order, and a repair
    that followed that order picked different fixes for one crate from run to run.
    """

    def where(d: Diagnostic) -> tuple:
        p = d.primary
        at = (p.file_name, p.line_start, p.column_start) if p else ("", 0, 0)
        return (*at, d.code_str or "", d.message)

    return min(errors, key=lambda d: (phase(d), where(d)))


def rank(candidates: list[Candidate]) -> list[Candidate]:
    """Best first; the same edit proposed twice (rustc and a template) is tried once, at its best score."""
    best: dict[str, Candidate] = {}
    for c in candidates:
        if c.id not in best or c.score > best[c.id].score:
            best[c.id] = c
    return sorted(best.values(), key=lambda c: (-c.score, c.id))


def candidates_for(d: Diagnostic, ws: Workspace, errors: list[Diagnostic] | None = None) -> list[Candidate]:
    """Candidates for `d`, each edit that other errors' suggestions also propose ranked higher.

    One mistake often shows up as several errors whose help all points at the same edit (a missing
    `?` breaks every later use of the value); that agreement is the best evidence of a root cause.
    """
    errors = errors or [d]
    files = ws.files()
    votes: dict[str, int] = {}
    for other in errors:
        for c in {c.id for c in suggestion_candidates(other) + template_candidates(other, ws.read, files)}:
            votes[c] = votes.get(c, 0) + 1
    own = suggestion_candidates(d) + template_candidates(d, ws.read, files) + combined_imports(errors)
    boosted = [msgspec.structs.replace(c, score=c.score + 0.1 * (votes.get(c.id, 1) - 1)) for c in own]
    return rank(boosted)


def repair(
    crate: str | Path,
    *,
    budget: int = 12,
    max_steps: int | None = None,
    run_tests: bool = True,
    on_trial: Callable[[Trial], None] | None = None,
    cancel: threading.Event | None = None,
    workspace: Workspace | None = None,
    alternatives: int = 1,
    rank_with_lm: bool = True,
    accept: Accept = "maybe",
    rank_with_heads: bool | Ranker = True,
    on_note: Callable[[dict], None] | None = None,
) -> RepairResult:
    """Repair `crate` in a scratch copy; `alternatives` > 1 keeps looking for other green final fixes.
    `rank_with_lm` lets the byte LM order candidates the heuristics score alike (`engine.repair.lmorder`).
    `rank_with_heads` lets the learned Action head order them (`engine.repair.headorder`) and the
    Confidence head rate a fix (`RepairResult.confidence`); off, or with no weights shipped, the
    prior order with the LM tiebreak stands; another `Ranker` (the bench's random order) replaces it.
    `on_note` hears what is not a trial (a test run, a localization) as a DevLog payload.
    `budget` bounds validations and nothing else; `max_steps`, when given, bounds kept steps.
    `accept="safe"` holds back a green fix whose only evidence is the compiler's (no test ran and
    passed, and rustc did not call every edit machine-applicable); the result says how many.

    One repair per scratch copy at a time, across processes: a second `rusta fix` (or the app) on the
    same crate would otherwise see the first one's trial edits and judge candidates on a mixed tree.
    """
    root = project_root(crate)  # a member's workspace: inherited fields and rustc's file names
    read_manifest(root)  # a broken Cargo.toml is named where the user can fix it, not in the scratch copy
    ws = workspace or Workspace(root)
    with file_lock(ws.root.parent / f"{ws.root.name}.lock", wait=False) as mine:
        if not mine:
            raise RepairBusy(
                f"another repair of {root.name} is running (`rusta fix` or the app); "
                "wait for it to finish, then try again."
            )
        load_lm = shipped_lm if rank_with_lm else None
        search = _Search(
            root, ws, budget, max_steps, run_tests, on_trial, cancel, alternatives, load_lm, accept
        )
        search.head = shipped_head() if rank_with_heads is True else rank_with_heads or None
        search.on_note = on_note  # test repair's test runs and localizations, for the DevLog
        return search.run()


class _Search:
    """One repair's state: the scratch copy, the trials so far, the steps kept, the lazy baseline."""

    def __init__(
        self,
        root: Path,
        ws: Workspace,
        budget: int,
        max_steps: int | None,
        run_tests: bool,
        on_trial: Callable[[Trial], None] | None,
        cancel: threading.Event | None,
        alternatives: int,
        load_lm: Callable[[], Scorer | None] | None,
        accept: Accept,
    ) -> None:
        self.root, self.ws, self.budget, self.max_steps = root, ws, budget, max_steps
        self.run_tests, self.on_trial, self.cancel = run_tests, on_trial, cancel
        self.alternatives, self.load_lm, self.accept = alternatives, load_lm, accept
        self.t0 = time.monotonic()
        self.trials: list[Trial] = []
        self.steps: list[Trial] = []
        self.states: list[tuple[dict[str, bytes], CheckReport, tuple]] = []  # after each step, its target
        self.validations = 0
        self._baseline: Baseline | None = None
        self.head: Ranker | None = None  # the Action head (or the bench's random order), from repair()
        self.banned: dict[tuple, set[str]] = {}  # target key -> step edits undone by a backtrack
        self.seen: set[str] = {hashlib.sha256(b"").hexdigest()}  # trees the steps have made
        # (errors fixed, steps, states, attempts) of the best partial fix before a backtrack
        self.best_partial: tuple[int, list[Trial], list, dict] | None = None
        self.red_runs: list[
            tuple[int, tuple[str, ...]]
        ] = []  # (steps in effect, tests blamed) per test-red trial

    # --- small helpers -------------------------------------------------------------------------

    def cancelled(self) -> bool:
        return self.cancel is not None and self.cancel.is_set()

    def record(self, trial: Trial) -> None:
        self.trials.append(trial)
        if self.on_trial is not None:
            self.on_trial(trial)

    def baseline(self) -> Baseline:
        """Loaded on first need: most repairs end with every test passing and never pay for it."""
        if self._baseline is None:
            self._baseline = load(self.root, target_dir=target_dir_for(self.ws.root), cancel=self.cancel)
        return self._baseline

    def where(self, d: Diagnostic) -> str:
        s = user_span(d)
        if s is None:
            return "an unknown place"
        return f"{s.file_name}:{self.ws.user_line(s.file_name, s.line_start)}"

    def snapshot(self) -> dict[str, bytes]:
        return {rel: new for rel, (_, new) in self.ws.changed_against_source().items()}

    # --- the search ----------------------------------------------------------------------------

    def run(self) -> RepairResult:
        ws = self.ws
        ws.sync()
        report = run_check(ws.root, cancel=self.cancel)
        if report.status in ("failed", "timeout", "error"):
            raise RepairError(ws.user_text(report.message) or f"cargo check could not run ({report.status}).")
        if not _errors(report):
            return self.clean()
        initial = report
        attempts: dict[tuple, Attempt] = {}
        greens: list[tuple[Trial, dict[str, tuple[bytes, bytes]]]] = []
        held: list[tuple[Trial, dict[str, tuple[bytes, bytes]]]] = []
        depth: dict[tuple, int] = {}  # attempt key -> steps in effect when it was made
        stop = ""
        backtracks = 0
        while True:
            errors = _errors(report)
            keys = stable_keys(errors)
            open_ = [d for d in errors if keys[id(d)] not in attempts]
            if not open_:
                if not self.can_backtrack(backtracks):
                    break
                backtracks += 1
                self.remember_partial(initial, attempts)
                report = self.backtrack(initial)
                attempts = {k: a for k, a in attempts.items() if depth[k] <= len(self.steps)}
                continue
            if self.max_steps is not None and len(self.steps) >= self.max_steps:
                stop = f"the step limit ({self.max_steps}) was reached"
                break
            if self.validations >= self.budget:
                stop = f"the budget of {count(self.budget, 'validation')} ran out"
                break
            if self.cancelled():
                stop = "cancelled"
                break
            target = next_target(open_)
            att = Attempt(target)
            after = self.attempt(att, errors, greens, held, self.banned.get(keys[id(target)], set()))
            if greens:
                first, files = greens[0]
                for rel, (_, new) in files.items():
                    ws.write(rel, new)
                self.steps.append(first)
                return self.result(
                    "fixed",
                    alts=tuple(_alternative(t, f) for t, f in greens),
                    held=tuple(_alternative(t, f) for t, f in held),
                )
            if after is not None:
                self.states.append((self.snapshot(), after, keys[id(target)]))
                report = after
                continue
            attempts[keys[id(target)]] = att
            depth[keys[id(target)]] = len(self.steps)
        return self.stopped(initial, attempts, stop, tuple(_alternative(t, f) for t, f in held))

    def trade(self, target: Diagnostic, errors: list[Diagnostic], left: list[Diagnostic]) -> bool:
        """A trade: the target gone for new errors (at most `_TRADE` more than before), all of another
        kind and no earlier phase than the target (`name: &str` -> `String` trades the lifetime error
        for a type error at each use, which the next steps fix). Taken only when no candidate makes
        plain progress; `unseen` keeps trades from going in circles, backtracking undoes one that
        leads nowhere, and a partial fix keeps only steps that added no error."""
        before = {_key(e) for e in errors}
        new = [d for d in left if _key(d) not in before]
        return (
            len(left) <= len(errors) + _TRADE
            and bool(new)
            and all(phase(d) >= phase(target) and d.code_str != target.code_str for d in new)
        )

    def unseen(self) -> bool:
        """The tree after this step was never a state of this search: a step may not undo another."""
        key = hashlib.sha256(
            b"".join(rel.encode() + b"\0" + data for rel, data in sorted(self.snapshot().items()))
        ).hexdigest()
        if key in self.seen:
            return False
        self.seen.add(key)
        return True

    def can_backtrack(self, done: int) -> bool:
        """Every open error was tried and none has a green fix: if a step led here, undo it once more
        is affordable (a step that removes its target can still be the wrong edit: rustc's `buf?` at
        one use, where `?` at the binding fixes every use)."""
        return (
            bool(self.steps)
            and done < _MAX_BACKTRACKS
            and self.budget - self.validations >= 2
            and not self.cancelled()
        )

    def remember_partial(self, initial: CheckReport, attempts: dict[tuple, Attempt]) -> None:
        """Before undoing steps, keep the best partial fix found so far: a backtrack that finds no
        complete fix must not leave the user with fewer fixed errors than before it."""
        keep = keep_index(_errors(initial), [_errors(rep) for _, rep, _ in self.states])
        if keep is None:
            return
        fixed = len(_errors(initial)) - len(_errors(self.states[keep][1]))
        if self.best_partial is None or fixed > self.best_partial[0]:
            self.best_partial = (fixed, self.steps[: keep + 1], self.states[: keep + 1], dict(attempts))

    def restore_best_partial(
        self, initial: CheckReport, attempts: dict[tuple, Attempt]
    ) -> dict[tuple, Attempt]:
        """The remembered partial fix when it fixed more than where the search ended, with the
        attempts as they were then (their reasons describe that state); else `attempts`."""
        if self.best_partial is None:
            return attempts
        keep = keep_index(_errors(initial), [_errors(rep) for _, rep, _ in self.states])
        fixed = len(_errors(initial)) - len(_errors(self.states[keep][1])) if keep is not None else 0
        if self.best_partial[0] <= fixed:
            return attempts
        _, steps, states, then = self.best_partial
        self.steps, self.states = list(steps), list(states)
        return then

    def backtrack(self, initial: CheckReport) -> CheckReport:
        """Undo the last step, ban its edit for its target, and return the report from before it."""
        step = self.steps.pop()
        _, _, target_key = self.states.pop()
        self.banned.setdefault(target_key, set()).add(step.candidate.id)
        snapshot, report = (self.states[-1][0], self.states[-1][1]) if self.states else ({}, initial)
        self.ws.set_state(snapshot)
        return report

    def attempt(
        self, att: Attempt, errors: list[Diagnostic], greens: list, held: list, banned: set[str]
    ) -> CheckReport | None:
        """Try `att.target`'s candidates; the report after a kept step, or None (greens/held filled).
        `banned`: edits already taken as a step for this target that led to a dead end."""
        ws, target = self.ws, att.target
        ordered = headorder.order(
            candidates_for(target, ws, errors), target, ws.read, self.load_lm, self.head
        )
        ordered = memory_priors.for_repair(ordered, target, self.root)  # this repo's style and preferences
        cands = [c for c in ordered if c.id not in banned]
        att.undone = len(ordered) - len(cands)
        att.candidates = len(cands)
        trade: tuple[Candidate, CheckReport] | None = None
        for cand in cands:
            if self.validations >= self.budget:
                att.out_of_budget = True
                break
            if self.cancelled():
                att.cancelled = True
                break
            try:
                before = ws.try_edits(cand.edits)
            except RepairError:
                att.candidates -= 1  # its edits do not apply here: not a candidate after all
                continue
            self.validations += 1
            att.tried += 1
            t1 = time.monotonic()
            after = run_check(ws.root, cancel=self.cancel)
            left = _errors(after)
            if after.status in ("timeout", "error", "failed"):
                ws.revert(before)
                self.record(
                    Trial(
                        candidate=cand,
                        verdict="red",
                        check_status=after.status,
                        duration_s=time.monotonic() - t1,
                    )
                )
                continue
            if not left:
                trial = self.judge_clean(cand, t1)
                self.record(trial)
                if trial.verdict == "red":
                    att.red_tests += 1
                    att.blamed.update(trial.failing_tests)
                    self.red_runs.append((len(self.steps), trial.failing_tests))
                elif trial.verdict == "apply-safe" or self.accept == "maybe":
                    greens.append((trial, ws.changed_against_source()))
                else:
                    att.held_back += 1
                    held.append((trial, ws.changed_against_source()))
                ws.revert(before)
                if len(greens) >= self.alternatives:
                    break
                continue
            gone = _key(target) not in {_key(d) for d in left}
            in_phase = all(phase(d) >= phase(target) or _key(d) in {_key(e) for e in errors} for d in left)
            if gone and in_phase and len(left) < len(errors) and self.unseen():
                return self.take(cand, after, len(left), t1, "step: removes the target error, others remain")
            ws.revert(before)
            if gone and in_phase and trade is None and self.trade(target, errors, left):
                trade = (cand, after)  # kept in reserve: taken only if no candidate makes plain progress
            self.record(
                Trial(
                    candidate=cand,
                    verdict="placeholder" if cand.applicability == "HasPlaceholders" else "red",
                    check_status="diagnostics",
                    errors_after=len(left),
                    duration_s=time.monotonic() - t1,
                    note="a trade: its target for other errors; kept in reserve"
                    if trade and trade[0] is cand
                    else "",
                )
            )
        if trade is not None and not greens and not self.cancelled():
            cand, after = trade
            try:
                before = ws.try_edits(cand.edits)  # the same edits on the same tree: `after` stands
            except RepairError:
                return None
            if self.unseen():
                return self.take(
                    cand,
                    after,
                    len(_errors(after)),
                    time.monotonic(),
                    "step: a trade, its target for errors of another kind that later steps may fix",
                )
            ws.revert(before)
        return None

    def take(self, cand: Candidate, after: CheckReport, left: int, t1: float, note: str) -> CheckReport:
        trial = Trial(
            candidate=cand,
            verdict="maybe-incorrect",
            check_status="diagnostics",
            errors_after=left,
            duration_s=time.monotonic() - t1,
            note=note,
        )
        self.record(trial)
        self.steps.append(trial)
        return after

    def judge_clean(self, cand: Candidate, t1: float) -> Trial:
        """A candidate after which cargo check is clean: the tests decide, against the baseline."""
        test_status, blamed, pre, passed = "not-run", (), (), 0
        if self.run_tests:
            tests = run_test(self.ws.root, cancel=self.cancel)
            test_status = tests.status
            passed = sum(t.status == "ok" for t in tests.tests)
            if tests.status == "failed":
                blamed, pre = judge(tests.tests, self.baseline())
                ok = not blamed
            else:
                ok = tests.status == "passed"
                blamed = not_run(tests) if not ok else ()
        else:
            ok = True
        if not ok:
            verdict = "red"
        elif passed > 0 or all(
            c.applicability == "MachineApplicable" for c in (cand, *(t.candidate for t in self.steps))
        ):
            verdict = "apply-safe"  # a test ran and passed, or rustc vouches for every edit and it compiles
        else:
            verdict = "maybe-incorrect"  # only the compiler's word for it
        return Trial(
            candidate=cand,
            verdict=verdict,
            check_status="clean",
            test_status=test_status,
            duration_s=time.monotonic() - t1,
            failing_tests=tuple(blamed),
            preexisting_failures=tuple(pre),
        )

    # --- outcomes ------------------------------------------------------------------------------

    def clean(self) -> RepairResult:
        """cargo check is clean: nothing to repair only if the tests pass too (or were not asked for)."""
        if not self.run_tests:
            return self.result(
                "clean", "cargo check reports no errors; tests not run (--no-tests); nothing to repair."
            )
        tests = run_test(self.ws.root, cancel=self.cancel, backtrace=True)  # frames localize a failure
        if tests.status == "passed":
            n = sum(t.status == "ok" for t in tests.tests)
            return self.result(
                "clean", f"cargo check reports no errors and all {n} tests pass; nothing to repair."
            )
        if tests.status in ("timeout", "error"):
            raise RepairError(
                f"cargo check is clean, but cargo test did not finish: {self.ws.user_text(tests.message)}"
            )
        if tests.status == "build_failed":
            return self.result(
                "failing-tests",
                "cargo check is clean, but the tests do not compile; Rusta repairs what cargo check reports.",
                failing=not_run(tests),
            )
        base = self.baseline()
        blamed, pre = judge(tests.tests, base)
        failing = (*blamed, *pre)
        msg = f"cargo check is clean, but {count(len(failing), 'test')} fail: {names(failing)}."
        if pre:
            msg += f" {count(len(pre), 'test')} already failed at {base.label}: {names(pre)}."
        if blamed:
            from engine.testrepair.bridge import repair_failing

            return repair_failing(self, tests, blamed, pre, msg)
        msg += " Each failed there already; Rusta leaves them as they were."
        return self.result("failing-tests", msg, failing=failing, pre=pre)

    def stopped(
        self, initial: CheckReport, attempts: dict[tuple, Attempt], stop: str, held: tuple
    ) -> RepairResult:
        """No complete fix: keep the longest run of steps the patch gate will call green, say the rest."""
        attempts = self.restore_best_partial(initial, attempts)
        keep = keep_index(_errors(initial), [_errors(rep) for _, rep, _ in self.states])
        if keep is None:
            self.ws.set_state({})
            final, kept = initial, []
        else:
            self.ws.set_state(self.states[keep][0])
            final, kept = self.states[keep][1], self.steps[: keep + 1]
        dropped = {k for _, _, k in self.states[(keep if keep is not None else -1) + 1 :]}
        base = self._baseline
        label = base.label if base is not None and base.usable else ""
        note = base.note if base is not None else ""
        errors = _errors(final)
        keys = stable_keys(errors)
        left: list[Leftover] = []
        seen = set()
        for d in sorted(errors, key=lambda d: (phase(d), _place(d))):
            k = keys[id(d)]
            if k in seen:
                continue
            seen.add(k)
            if k in attempts:
                why = reason(attempts[k], label, note)
            elif k in dropped:
                why = "its fix brought new errors that Rusta could not fix, so it is left out"
            else:
                why = f"not tried: {stop or 'the search stopped'}"
            left.append(
                Leftover(
                    code=code_of(d), message=self.ws.user_text(d.message), where=self.where(d), reason=why
                )
            )
        self.steps = kept
        n_before = len(set(stable_keys(_errors(initial)).values()))
        # Tests never ran on kept steps alone (the crate did not compile); if they ran once the steps
        # plus a last candidate compiled and a test broke, a step may share the blame.
        suspect = sorted({n for k, names in self.red_runs if min(k, len(kept)) > 0 for n in names})
        msg = stopped_message(bool(kept), n_before, left, suspect)
        return self.result("partial" if kept else "abstained", msg, left=tuple(left), held=held)

    def result(
        self,
        status: str,
        message: str = "",
        alts: tuple[Alternative, ...] = (),
        held: tuple[Alternative, ...] = (),
        left: tuple[Leftover, ...] = (),
        failing: tuple[str, ...] = (),
        pre: tuple[str, ...] = (),
    ) -> RepairResult:
        ws = self.ws
        changed = ws.changed_against_source()
        diff = unified_diff({k: v[0] for k, v in changed.items()}, {k: v[1] for k, v in changed.items()})
        files = tuple(sorted((rel, new) for rel, (_, new) in changed.items()))
        if status not in ("fixed", "partial"):
            ws.set_state({})
            diff, files = "", ()
        base = self._baseline
        last = self.steps[-1] if status == "fixed" else None
        if last is not None:
            pre = last.preexisting_failures
        explanation = message
        if status in ("fixed", "partial"):
            explanation = explain(self.steps, base, status == "fixed") + (
                " " + message if status == "partial" else ""
            )
        return RepairResult(
            crate_root=str(self.root),
            status=status,  # type: ignore[arg-type]
            steps=tuple(self.steps),
            trials=tuple(self.trials),
            diff=diff,
            files=files,
            alternatives=alts,
            explanation=explanation,
            validations=self.validations,
            duration_s=time.monotonic() - self.t0,
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
            confidence=headorder.confidence_of(self.steps)
            if status in ("fixed", "partial") and self.head is not None
            else None,
        )


def _place(d: Diagnostic) -> tuple:
    p = d.primary
    return (p.file_name, p.line_start, p.column_start) if p else ("", 0, 0)


def _alternative(t: Trial, changed: dict[str, tuple[bytes, bytes]]) -> Alternative:
    diff = unified_diff({k: v[0] for k, v in changed.items()}, {k: v[1] for k, v in changed.items()})
    files = tuple(sorted((rel, new) for rel, (_, new) in changed.items()))
    return Alternative(
        description=t.candidate.description,
        family=t.candidate.family,
        verdict=t.verdict,
        diff=diff,
        files=files,
    )
