"""The repair search: fix errors in dependency order, trying ranked candidates in a scratch copy.

Each step targets the error that blocks the others (name resolution before types before borrows),
tries candidates best-first under a budget of validations, keeps the first that removes the target
without adding errors, and re-checks. When no error is left the crate's tests decide: only a
candidate set that passes `cargo check` and `cargo test` is green. Nothing touches the user's files.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from pathlib import Path

import msgspec

from diary.worktree import file_lock
from engine.edits import unified_diff
from engine.heads.naturalness import Scorer, shipped_lm
from engine.repair import lmorder
from engine.repair.errors import RepairBusy, RepairError
from engine.repair.names import combined_imports
from engine.repair.suggestions import suggestion_candidates
from engine.repair.templates import template_candidates
from engine.repair.types import Alternative, Candidate, RepairResult, Trial
from engine.repair.workspace import Workspace
from toolbelt.cargo_run import run_check, run_test
from toolbelt.crate import find_crate_root, read_manifest
from toolbelt.types import CheckReport, Diagnostic

_RESOLVE = {"E0432", "E0433", "E0412", "E0425", "E0422", "E0423", "E0531", "E0405", "E0407", "E0583"}
_BORROW_PREFIXES = ("E05",)
_BORROW = {"E0382", "E0384", "E0596", "E0597", "E0716", "E0373", "E0499", "E0502", "E0594"}


def phase(d: Diagnostic) -> int:
    """Compiler phase of a diagnostic: resolution errors hide type errors, which hide borrow errors."""
    code = d.code_str or ""
    if code in _RESOLVE:
        return 0
    if code in _BORROW or code.startswith(_BORROW_PREFIXES):
        return 2
    return 1


def _errors(report: CheckReport) -> list[Diagnostic]:
    return [d for d in report.diagnostics if d.level.startswith("error")]


def _key(d: Diagnostic) -> tuple:
    p = d.primary
    return (d.code_str, d.message, p.file_name if p else "", p.line_start if p else 0)


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
) -> RepairResult:
    """Repair `crate` in a scratch copy; `alternatives` > 1 keeps looking for other green final fixes.
    `rank_with_lm` lets the byte LM order candidates the heuristics score alike (`engine.repair.lmorder`).

    One repair per scratch copy at a time, across processes: a second `rusta fix` (or the app) on the
    same crate would otherwise see the first one's trial edits and judge candidates on a mixed tree.
    """
    root = find_crate_root(crate)
    read_manifest(root)  # a broken Cargo.toml is named where the user can fix it, not in the scratch copy
    ws = workspace or Workspace(root)
    with file_lock(ws.root.parent / f"{ws.root.name}.lock", wait=False) as mine:
        if not mine:
            raise RepairBusy(
                f"another repair of {root.name} is running (`rusta fix` or the app); "
                "wait for it to finish, then try again."
            )
        load_lm = shipped_lm if rank_with_lm else None
        return _search(root, ws, budget, max_steps, run_tests, on_trial, cancel, alternatives, load_lm)


def _search(
    root: Path,
    ws: Workspace,
    budget: int,
    max_steps: int | None,
    run_tests: bool,
    on_trial: Callable[[Trial], None] | None,
    cancel: threading.Event | None,
    alternatives: int,
    load_lm: Callable[[], Scorer | None] | None,
) -> RepairResult:
    t0 = time.monotonic()
    ws.sync()
    report = run_check(ws.root, cancel=cancel)
    if report.status in ("failed", "timeout", "error"):
        raise RepairError(report.message or f"cargo check could not run ({report.status}).")
    trials: list[Trial] = []
    steps: list[Trial] = []
    greens: list[tuple[Trial, dict[str, tuple[bytes, bytes]]]] = []
    validations = 0

    def record(trial: Trial) -> None:
        trials.append(trial)
        if on_trial is not None:
            on_trial(trial)

    def result(status: str, message: str = "", alts: tuple[Alternative, ...] = ()) -> RepairResult:
        changed = ws.changed_against_source()
        diff = unified_diff({k: v[0] for k, v in changed.items()}, {k: v[1] for k, v in changed.items()})
        files = tuple(sorted((rel, new) for rel, (_, new) in changed.items()))
        if status != "fixed":
            for rel, (src, _) in changed.items():
                ws.write(rel, src)
            diff, files = "", ()
        return RepairResult(
            crate_root=str(root),
            status=status,
            steps=tuple(steps),
            trials=tuple(trials),
            diff=diff,
            files=files,
            alternatives=alts,
            explanation=_explain(steps) if status == "fixed" else message,
            validations=validations,
            duration_s=time.monotonic() - t0,
            message=message,
        )

    if not _errors(report):
        return result("clean", "cargo check reports no errors; nothing to repair.")
    if max_steps is None:  # one step per error, a little slack, never unbounded
        max_steps = min(12, len(_errors(report)) + 2)
    for _ in range(max_steps):
        errors = _errors(report)
        if not errors:
            break
        target = next_target(errors)
        progressed = False
        for cand in lmorder.order(candidates_for(target, ws, errors), ws.read, load_lm):
            if validations >= budget or (cancel is not None and cancel.is_set()):
                break
            try:
                before = ws.try_edits(cand.edits)
            except RepairError:
                continue
            validations += 1
            t1 = time.monotonic()
            after = run_check(ws.root, cancel=cancel)
            left = _errors(after)
            gone = _key(target) not in {_key(d) for d in left}
            if after.status in ("timeout", "error", "failed"):
                ws.revert(before)
                record(
                    Trial(
                        candidate=cand,
                        verdict="red",
                        check_status=after.status,
                        duration_s=time.monotonic() - t1,
                    )
                )
                continue
            if not left:
                test_status = "not-run"
                if run_tests:
                    tests = run_test(ws.root, cancel=cancel)
                    test_status = tests.status
                green = not run_tests or test_status == "passed"
                verdict = "apply-safe" if green and run_tests else ("maybe-incorrect" if green else "red")
                trial = Trial(
                    candidate=cand,
                    verdict=verdict,
                    check_status="clean",
                    test_status=test_status,
                    duration_s=time.monotonic() - t1,
                )
                record(trial)
                if green:
                    greens.append((trial, ws.changed_against_source()))
                ws.revert(before)
                if len(greens) >= alternatives:
                    break
                continue
            if (
                gone
                and len(left) < len(errors)
                and all(phase(d) >= phase(target) or _key(d) in {_key(e) for e in errors} for d in left)
            ):
                trial = Trial(
                    candidate=cand,
                    verdict="maybe-incorrect",
                    check_status="diagnostics",
                    errors_after=len(left),
                    duration_s=time.monotonic() - t1,
                    note="step: removes the target error, others remain",
                )
                record(trial)
                steps.append(trial)
                report = after
                progressed = True
                break
            ws.revert(before)
            record(
                Trial(
                    candidate=cand,
                    verdict="placeholder" if cand.applicability == "HasPlaceholders" else "red",
                    check_status="diagnostics",
                    errors_after=len(left),
                    duration_s=time.monotonic() - t1,
                )
            )
        if greens:
            first, files = greens[0]
            for rel, (_, new) in files.items():
                ws.write(rel, new)
            steps.append(first)
            return result("fixed", alts=tuple(_alternative(t, f) for t, f in greens))
        if not progressed:
            why = "the budget ran out" if validations >= budget else "no candidate compiled"
            return result(
                "abstained",
                f"No green fix for {target.code_str or 'the error'} at {_where(target)}: {why} ({validations} tried).",
            )
    return result("abstained", f"Errors remain after {max_steps} steps; I stop rather than guess.")


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


def _where(d: Diagnostic) -> str:
    p = d.primary
    return f"{p.file_name}:{p.line_start}" if p else "an unknown place"


def _explain(steps: list[Trial]) -> str:
    lines = []
    for t in steps:
        c = t.candidate
        lines.append(f"{', '.join(c.addresses)}: {c.description} ({c.source}, {c.family}).")
    last = steps[-1]
    tail = (
        "cargo check is clean and the tests pass."
        if last.test_status == "passed"
        else "cargo check is clean; tests were not run."
    )
    return " ".join(lines) + " Validated in a scratch copy: " + tail
