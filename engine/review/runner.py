"""A review of base..head end to end: export both sides, run cargo on each, blame, find, judge.

The IO edge of the review: it calls dulwich (revisions), cargo (toolbelt.cargo_run) and the patch
sandbox (engine.patching) and writes DevLog records to the user's crate (.rusta/, ignored by git);
everything it decides is done by the pure modules. The user's files, HEAD, index and branches are
only read.
"""

from __future__ import annotations

import contextlib
import time
from pathlib import Path
from typing import Literal

import msgspec
from dulwich.objects import Commit

from diary import records
from diary.devlog import DevLog
from diary.gitobjects import ref
from diary.worktree import file_lock
from engine.patching.types import BenchPolicy
from engine.review import revisions
from engine.review.blame import blame
from engine.review.errors import ReviewError
from engine.review.finders import (
    MAX_VALIDATED_FIXES,
    FixGate,
    api_findings,
    as_text,
    behaviour_findings,
    diagnostic_findings,
    pattern_findings,
)
from engine.review.findings import finding
from engine.review.linemap import line_map
from engine.review.publicapi import package_version
from engine.review.rules import RULES
from engine.review.testdelta import delta_of_tests
from engine.review.types import Finding, Place, Review, Side, TestDelta
from toolbelt.cargo_run import run_check, run_test
from toolbelt.diag_identity import distinct
from toolbelt.selection import Selection, for_changes
from toolbelt.types import CheckReport, CheckTool, TestReport

MODEL_NOTE = "no model: the findings come from cargo, the syntax tree and the sandbox"
_LEVEL_RANK = {"error": 2, "warning": 1, "note": 0}


class SideRun(msgspec.Struct, frozen=True, kw_only=True):
    check: CheckReport
    tests: TestReport | None


def _run_side(
    sandbox: Path,
    target: Path,
    tool: CheckTool,
    run_tests: bool,
    timeout_s: float,
    label: str,
    crate: Path,
    tested: Selection | None = None,
) -> SideRun:
    """cargo check of the whole side; its tests only on `tested` (the members the change can break)
    when given, so a member broken on both sides does not stop the others' tests."""
    check = run_check(sandbox, tool=tool, target_dir=target, timeout_s=timeout_s)
    if check.status in ("failed", "timeout", "error"):
        # cargo speaks of the sandbox; the user acts on their crate (its .cargo/config.toml, its deps)
        said = (check.message or check.status).replace(str(sandbox), str(crate))
        raise ReviewError(f"cargo {tool} did not finish on {label}: {said}")
    tests = run_test(sandbox, target_dir=target, timeout_s=timeout_s, selection=tested) if run_tests else None
    return SideRun(check=check, tests=tests)


def _side(label: str, commit: str | None, run: SideRun, files: dict[str, bytes]) -> Side:
    each = [d for d in distinct(run.check.diagnostics)]
    return Side(
        label=label,
        commit=commit,
        check_status=run.check.status,
        errors=sum(1 for d in each if d.level.startswith("error")),
        warnings=sum(1 for d in each if d.level == "warning"),
        test_status=run.tests.status if run.tests is not None else "not_run",
        tests_run=sum(1 for t in run.tests.tests if t.status != "ignored") if run.tests else 0,
        version=package_version(files.get("Cargo.toml"))[0],
    )


def judge(findings: tuple[Finding, ...], fail_on: str) -> tuple[Literal["pass", "fail"], str]:
    """("pass" | "fail", why) for --fail-on error|warning|never."""
    if fail_on == "never":
        return "pass", "--fail-on never"
    floor = _LEVEL_RANK[fail_on]
    bad = [f for f in findings if _LEVEL_RANK[f.level] >= floor]
    if bad:
        errors = sum(1 for f in bad if f.level == "error")
        return "fail", f"{errors} error(s) and {len(bad) - errors} warning(s) at or above --fail-on {fail_on}"
    return "pass", f"nothing at or above --fail-on {fail_on}"


def review_revisions(
    path: Path,
    base_rev: str,
    head_rev: str | None = None,
    *,
    tool: CheckTool = "clippy",
    run_tests: bool = True,
    validate_fixes: bool = True,
    fail_on: str = "error",
    timeout_s: float = 300.0,
    log: DevLog | None = None,
    export_dir: Path | None = None,
    export_branch: str | None = None,
    fuzz: bool = True,
    bench: BenchPolicy | None = None,
    refactor: bool = False,
) -> Review:
    """Review what base_rev..head_rev (head: the working tree when None) changed in the crate at `path`.

    With `refactor` the change claims to keep behaviour: each changed fn is fuzzed, base against head,
    and an input on which they differ is an error finding (rusta/behaviour-changed)."""
    t0 = time.monotonic()
    repo, rel = revisions.open_repo(path)
    task = None
    head_label = head_rev or "working tree"
    try:
        base_c = revisions.resolve(repo, base_rev)
        head_c = revisions.resolve(repo, head_rev) if head_rev else None
        base_dir = revisions.export_commit(repo, base_c, rel, path)
        head_export = revisions.export_commit(repo, head_c, rel, path) if head_c else None
        if export_branch is not None and ref(b"refs/heads/" + export_branch.encode()) in repo.refs:
            raise ReviewError(
                f"branch `{export_branch}` exists already; Rusta never moves a branch. Pick a new name."
            )
    finally:
        repo.close()
    repo_top = Path(repo.path)
    if log is not None:
        task = log.append(
            "intent", records.intent(f"review {base_rev}..{head_label} of {path.name}", goal="review")
        )
    with contextlib.ExitStack() as stack:
        if head_export is None:  # one review at a time uses this crate's working-tree mirror
            stack.enter_context(file_lock(revisions.worktree_lock(path)))
        head_dir = head_export or revisions.copy_worktree(path)
        review = _review_sides(
            path,
            base_rev,
            head_label,
            base_c,
            head_c,
            base_dir,
            head_dir,
            rel,
            repo_top,
            tool=tool,
            run_tests=run_tests,
            validate_fixes=validate_fixes,
            fail_on=fail_on,
            timeout_s=timeout_s,
            log=log,
            task=task,
            export_dir=export_dir,
            export_branch=export_branch,
            t0=t0,
            fuzz=fuzz,
            bench=bench,
            refactor=refactor,
        )
    if log is not None and task is not None:
        log.append(
            "reflection",
            records.reflection(
                "done", f"review {review.verdict}: {len(review.findings)} finding(s); {review.reason}"
            ),
            settles=task,
        )
    return review


def _review_sides(
    path: Path,
    base_rev: str,
    head_label: str,
    base_c: Commit,
    head_c: Commit | None,
    base_dir: Path,
    head_dir: Path,
    rel: str,
    repo_top: Path,
    *,
    tool: CheckTool,
    run_tests: bool,
    validate_fixes: bool,
    fail_on: str,
    timeout_s: float,
    log: DevLog | None,
    task: str | None,
    export_dir: Path | None,
    export_branch: str | None,
    t0: float,
    fuzz: bool,
    bench: BenchPolicy | None,
    refactor: bool = False,
) -> Review:
    try:
        base_all, head_all = revisions.all_files(base_dir), revisions.all_files(head_dir)
        every_changed = sorted(p for p in set(base_all) | set(head_all) if base_all.get(p) != head_all.get(p))
        tested = for_changes(head_dir, every_changed)
        base_run = _run_side(
            base_dir, revisions.target_for(base_dir), tool, run_tests, timeout_s, base_rev, path, tested
        )
        head_run = _run_side(
            head_dir, revisions.target_for(head_dir), tool, run_tests, timeout_s, head_label, path, tested
        )
        if log is not None:
            for label, r in ((base_rev, base_run), (head_label, head_run)):
                if r.check.process is not None:
                    log.append("action", records.run(r.check.process, f"cargo {tool} on {label}"), task=task)
                log.append(
                    "validation",
                    records.validation(r.check, f"cargo {tool} on {label}: {r.check.status}"),
                    task=task,
                )
                if r.tests is not None:
                    log.append(
                        "validation",
                        records.validation(r.tests, f"cargo test on {label}: {r.tests.status}"),
                        task=task,
                    )
        base_files, head_files = revisions.source_files(base_dir), revisions.source_files(head_dir)
        changed = sorted(
            p for p in set(base_files) | set(head_files) if base_files.get(p) != head_files.get(p)
        )
        maps = {p: line_map(as_text(base_files.get(p)), as_text(head_files.get(p))) for p in changed}
        b = blame(base_run.check.diagnostics, head_run.check.diagnostics, maps)
        gate = FixGate(
            MAX_VALIDATED_FIXES if validate_fixes else 0,
            fuzz=fuzz,
            bench=bench,
            timeout_s=timeout_s,
            lints=tool == "clippy",
        )
        found = diagnostic_findings(b.new, head_dir, head_files, validate_fixes, gate)
        found += pattern_findings(base_files, head_files, changed, head_dir, validate_fixes, gate)
        found += api_findings(base_files, head_files)
        if refactor:
            found += behaviour_findings(base_dir, base_files, head_files, changed, timeout_s)
        delta = (
            delta_of_tests(base_run.tests, head_run.tests)
            if run_tests
            else TestDelta(note="not run: --no-tests")
        )
        for name in delta.broken:
            t = next((t for t in head_run.tests.tests if t.name == name), None) if head_run.tests else None
            fail = t.failure if t is not None else None
            place = Place(file=fail.file if fail and fail.file else "", line=fail.line if fail else 0)
            message = f"test `{name}` passed at {base_rev} and fails at {head_label}" + (
                f": {fail.message}" if fail and fail.message else "."
            )
            found.append(
                finding(
                    rule="rusta/test-broken",
                    kind="diagnostic",
                    level="error",
                    place=place,
                    message=message,
                    explanation=RULES["rusta/test-broken"].help,
                    files=head_files,
                )
            )
        findings = tuple(found)
        verdict, reason = judge(findings, fail_on)
        review = Review(
            crate=path.name,
            crate_path=rel,
            base=_side(base_rev, base_c.id.decode(), base_run, base_files),
            head=_side(head_label, head_c.id.decode() if head_c else None, head_run, head_files),
            files_changed=tuple(every_changed),
            findings=findings,
            preexisting=len(b.kept),
            fixed=tuple(f"{d.code_str or d.level}: {d.message}" for d in b.gone),
            tests=delta,
            model=MODEL_NOTE,
            verdict=verdict,
            reason=reason,
            duration_s=round(time.monotonic() - t0, 2),
        )
        if export_dir is not None:
            from engine.review.mbox import write_series

            wt = None if head_c else (base_all, head_all)
            write_series(export_dir, repo_top, rel, review, wt, head_all)
        if export_branch is not None:
            from engine.review.branch import make_branch

            tip, n = make_branch(repo_top, export_branch, rel, review, head_all)
            said = f"branch {export_branch} at {tip[:12]}: head and {n} green fix(es); `git branch -D {export_branch}` removes it"
            review = msgspec.structs.replace(review, branch=said)
            if log is not None:
                log.append(
                    "action",
                    {"summary": said, "op": "branch", "ref": export_branch, "commit": tip},
                    task=task,
                )
    except Exception as e:
        if log is not None and task is not None:
            log.append(
                "reflection", records.reflection("failed", "review could not run", str(e)), settles=task
            )
        raise
    return review
