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
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Literal

from diary.worktree import file_lock
from engine.heads.action import Ranker, shipped_head
from engine.heads.naturalness import Scorer, shipped_lm
from engine.memory import priors as memory_priors
from engine.repair import headorder, outcomes
from engine.repair.baseline import judge, load
from engine.repair.errors import RepairBusy, RepairError
from engine.repair.outcomes import alternative
from engine.repair.reasons import Attempt, count, not_run, user_span
from engine.repair.targets import (
    candidates_for,
    error_key,
    errors_of,
    keep_index,
    next_target,
    phase,
    stable_keys,
)
from engine.repair.types import Baseline, Candidate, RepairResult, Trial, Verdict
from engine.repair.workspace import Workspace
from toolbelt.cargo_run import run_check, run_test
from toolbelt.cargo_workspace import project_root
from toolbelt.crate import read_manifest
from toolbelt.paths import target_dir_for
from toolbelt.types import CheckReport, Diagnostic

Accept = Literal["safe", "maybe"]

_TRADE = 2  # new errors a step may trade its target for (see _Search.trade)


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
    focus: Callable[[Diagnostic], bool] | None = None,
) -> RepairResult:
    """Repair `crate` in a scratch copy; `alternatives` > 1 keeps looking for other green final fixes.
    `rank_with_lm` lets the byte LM order candidates the heuristics score alike (`engine.repair.lmorder`).
    `rank_with_heads` lets the learned Action head order them (`engine.repair.headorder`) and the
    Confidence head rate a fix (`RepairResult.confidence`); off, or with no weights shipped, the
    prior order with the LM tiebreak stands; another `Ranker` (the bench's random order) replaces it.
    `on_note` hears what is not a trial (a test run, a localization) as a DevLog payload.
    `focus`, when given, picks the errors to aim at (the app's fix key on one story): only those are
    targets, and the search ends when none of them is open; the others are left as they are.
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
        search.focus = focus
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
        self.focus: Callable[[Diagnostic], bool] | None = None  # the errors aimed at, from repair()
        self.on_note: Callable[[dict], None] | None = None  # what is not a trial, from repair()
        # (tree before the step, target key) -> step edits undone by a backtrack from that tree
        self.banned: dict[tuple[str, tuple], set[str]] = {}
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
        if not errors_of(report):
            return outcomes.clean(self)
        initial = report
        attempts: dict[tuple, Attempt] = {}
        greens: list[tuple[Trial, dict[str, tuple[bytes, bytes]]]] = []
        held: list[tuple[Trial, dict[str, tuple[bytes, bytes]]]] = []
        depth: dict[tuple, int] = {}  # attempt key -> steps in effect when it was made
        stop = ""
        while True:
            errors = errors_of(report)
            keys = stable_keys(errors)
            open_ = [d for d in errors if keys[id(d)] not in attempts]
            if self.focus is not None:
                open_ = [d for d in open_ if self.focus(d)]
            if not open_:
                if self.focus is not None:
                    stop = "the fix was aimed at another error"
                    break
                if not self.can_backtrack():
                    if self.steps and not self.cancelled():  # a dead end that only the budget keeps
                        stop = (
                            f"the budget of {count(self.budget, 'validation')} ran out before the "
                            "steps that led to a dead end could be undone; a larger --budget lets "
                            "the search go on"
                        )
                    break
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
            target = next_target(open_, ws.read)
            att = Attempt(target)
            banned = self.banned.get((self.tree_key(), keys[id(target)]), set())
            after = self.attempt(att, errors, greens, held, banned)
            if greens:
                first, files = greens[0]
                for rel, (_, new) in files.items():
                    ws.write(rel, new)
                self.steps.append(first)
                return outcomes.result(
                    self,
                    "fixed",
                    alts=tuple(alternative(t, f) for t, f in greens),
                    held=tuple(alternative(t, f) for t, f in held),
                )
            if after is not None:
                self.states.append((self.snapshot(), after, keys[id(target)]))
                report = after
                continue
            attempts[keys[id(target)]] = att
            depth[keys[id(target)]] = len(self.steps)
        return outcomes.stopped(self, initial, attempts, stop, tuple(alternative(t, f) for t, f in held))

    def trade(self, target: Diagnostic, errors: list[Diagnostic], left: list[Diagnostic]) -> bool:
        """A trade: the target gone for new errors (at most `_TRADE` more than before), all of another
        kind and no earlier phase than the target (`name: &str` -> `String` trades the lifetime error
        for a type error at each use, which the next steps fix). Taken only when no candidate makes
        plain progress; `unseen` keeps trades from going in circles, backtracking undoes one that
        leads nowhere, and a partial fix keeps only steps that added no error."""
        before = {error_key(e) for e in errors}
        new = [d for d in left if error_key(d) not in before]
        return (
            len(left) <= len(errors) + _TRADE
            and bool(new)
            and all(phase(d) >= phase(target) and d.code_str != target.code_str for d in new)
        )

    def tree_key(self) -> str:
        """The scratch tree's identity: the files the steps in effect changed, hashed."""
        return hashlib.sha256(
            b"".join(rel.encode() + b"\0" + data for rel, data in sorted(self.snapshot().items()))
        ).hexdigest()

    def unseen(self) -> bool:
        """The tree after this step was never a state of this search: a step may not undo another."""
        key = self.tree_key()
        if key in self.seen:
            return False
        self.seen.add(key)
        return True

    def can_backtrack(self) -> bool:
        """Every open error was tried and none has a green fix: if a step led here, undo it while the
        user's budget affords a try after it (a step that removes its target can still be the wrong
        edit: rustc's `buf?` at one use, where `?` at the binding fixes every use).

        No count of its own bounds this: each backtrack undoes a step, each step cost a validation,
        so backtracks never outnumber validations and `--budget` bounds them with the rest."""
        return bool(self.steps) and self.budget - self.validations >= 2 and not self.cancelled()

    def remember_partial(self, initial: CheckReport, attempts: dict[tuple, Attempt]) -> None:
        """Before undoing steps, keep the best partial fix found so far: a backtrack that finds no
        complete fix must not leave the user with fewer fixed errors than before it."""
        keep = keep_index(errors_of(initial), [errors_of(rep) for _, rep, _ in self.states])
        if keep is None:
            return
        fixed = len(errors_of(initial)) - len(errors_of(self.states[keep][1]))
        if self.best_partial is None or fixed > self.best_partial[0]:
            self.best_partial = (fixed, self.steps[: keep + 1], self.states[: keep + 1], dict(attempts))

    def restore_best_partial(
        self, initial: CheckReport, attempts: dict[tuple, Attempt]
    ) -> dict[tuple, Attempt]:
        """The remembered partial fix when it fixed more than where the search ended, with the
        attempts as they were then (their reasons describe that state); else `attempts`."""
        if self.best_partial is None:
            return attempts
        keep = keep_index(errors_of(initial), [errors_of(rep) for _, rep, _ in self.states])
        fixed = len(errors_of(initial)) - len(errors_of(self.states[keep][1])) if keep is not None else 0
        if self.best_partial[0] <= fixed:
            return attempts
        _, steps, states, then = self.best_partial
        self.steps, self.states = list(steps), list(states)
        return then

    def backtrack(self, initial: CheckReport) -> CheckReport:
        """Undo the last step, ban its edit for its target in the tree it was taken from, and return
        the report from before it.

        The ban holds in that tree only, as a depth-first search marks one node's explored child: when
        a later backtrack undoes an earlier step too, the tree below differs and the edit is fresh
        there. Banned for the target everywhere, a right step undone only because it came after a
        wrong one (two independent `buf?` slips: the second function's fix popped while the first
        function's dead end is unwound) could never be taken again. `seen` still keeps every step
        to a tree the search never made, so the search cannot go round in circles."""
        step = self.steps.pop()
        _, _, target_key = self.states.pop()
        snapshot, report = (self.states[-1][0], self.states[-1][1]) if self.states else ({}, initial)
        self.ws.set_state(snapshot)
        self.banned.setdefault((self.tree_key(), target_key), set()).add(step.candidate.id)
        return report

    def attempt(
        self, att: Attempt, errors: list[Diagnostic], greens: list, held: list, banned: set[str]
    ) -> CheckReport | None:
        """Try `att.target`'s candidates; the report after a kept step, or None (greens/held filled).
        `banned`: edits already taken as a step for this target that led to a dead end."""
        ws, target = self.ws, att.target
        ordered = headorder.order(
            candidates_for(target, ws, errors), target, ws.read, self.load_lm, self.head, errors
        )
        ordered = memory_priors.for_repair(
            ordered, target, self.root, ws.read
        )  # the repo's style, preferences
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
            left = errors_of(after)
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
            gone = error_key(target) not in {error_key(d) for d in left}
            in_phase = all(
                phase(d) >= phase(target) or error_key(d) in {error_key(e) for e in errors} for d in left
            )
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
                    len(errors_of(after)),
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
        test_status, passed = "not-run", 0
        blamed: tuple[str, ...] = ()
        pre: tuple[str, ...] = ()
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
            verdict: Verdict = "red"
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

    def result(self, status: str, message: str = "", **parts) -> RepairResult:  # noqa: ANN003
        """The RepairResult for this search's state (`engine.repair.outcomes.result`); test repair's
        bridge ends a search through it too."""
        return outcomes.result(self, status, message, **parts)
