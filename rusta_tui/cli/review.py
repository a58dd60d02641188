"""`rusta review`: a headless review of a crate (or of a diff against it) for CI, with exit codes.

Without --diff: cargo clippy, then one line per story (code, place, Rusta's summary, whether a
machine fix exists and, with --validate-fixes, whether it validates green in the sandbox).
With --diff FILE: the diff is validated in the sandbox against the crate and never applied.

Exit codes: 0 pass; 1 findings at or above --fail-on, or a red diff; 2 no verdict (not a crate,
cargo failing before the compiler spoke, the patch path missing). Imports no Textual.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

import msgspec

from engine.patching.types import Proof
from rusta_tui.cli.argtypes import add_selection_arguments, selection_from_args
from rusta_tui.cli.proofargs import add_bench_arguments, bench_policy, hot_policy

if TYPE_CHECKING:
    from engine.patching.types import BenchPolicy
    from toolbelt.types import CheckTool

EXIT_PASS, EXIT_FINDINGS, EXIT_NO_VERDICT = 0, 1, 2


class FixView(msgspec.Struct, frozen=True, kw_only=True):
    source: str
    applicability: str
    verdict: str | None = None  # green, red or not_run when validated; needs_input for placeholders
    reason: str = ""
    proofs: tuple[Proof, ...] = ()  # what the sandbox ran for it (check, tests, fuzz, bench, miri)


class Finding(msgspec.Struct, frozen=True, kw_only=True):
    code: str | None
    level: str
    file: str
    line: int
    summary: str
    fix: FixView | None = None


class DiffVerdict(msgspec.Struct, frozen=True, kw_only=True):
    file: str
    verdict: str
    reason: str
    errors_before: int | None = None
    errors_after: int = 0
    proofs: tuple[Proof, ...] = ()


class Review(msgspec.Struct, frozen=True, kw_only=True):
    version: int = 1
    crate: str
    tool: str
    errors: int
    warnings: int
    findings: tuple[Finding, ...] = ()
    diff: DiffVerdict | None = None
    verdict: str  # pass / fail
    reason: str


def add_arguments(parser: argparse.ArgumentParser) -> None:
    add_selection_arguments(parser)
    parser.add_argument("path", nargs="?", default=".", help="the crate, or a file inside it (default: .)")
    parser.add_argument(
        "--diff", metavar="FILE", help="validate this unified diff against the crate (never applied)"
    )
    parser.add_argument(
        "--validate-fixes", action="store_true", help="validate every suggested fix in the sandbox"
    )
    parser.add_argument(
        "--fail-on",
        choices=("error", "warning", "never"),
        default="error",
        help="exit 1 when findings at this level or worse remain (default: %(default)s)",
    )
    parser.add_argument("--no-clippy", action="store_true", help="plain `cargo check`, no lints")
    parser.add_argument("--json", action="store_true", help="one JSON object on stdout (= --format json)")
    parser.add_argument(
        "--format",
        choices=("text", "md", "json", "sarif"),
        default=None,
        help="output format (default: text)",
    )
    parser.add_argument("--base", metavar="REV", help="review what changed since this revision")
    parser.add_argument(
        "--head", metavar="REV", help="with --base: the revision reviewed (default: the working tree)"
    )
    parser.add_argument(
        "--no-tests", action="store_true", help="with --base: do not run the tests on either side"
    )
    parser.add_argument(
        "--no-validate", action="store_true", help="with --base: do not validate fixes in the sandbox"
    )
    parser.add_argument(
        "--time-limit",
        type=float,
        default=300.0,
        metavar="S",
        help="seconds per cargo run; with --batch, per crate (default: %(default)s)",
    )
    parser.add_argument(
        "--export", metavar="DIR", help="with --base: write the change and Rusta's patches as an mbox"
    )
    parser.add_argument(
        "--export-branch",
        metavar="NAME",
        help="with --base: make branch NAME (head plus Rusta's green fixes) in your repo; nothing else moves",
    )
    parser.add_argument("--batch", nargs="+", metavar="DIR", help="review many crates; one summary table")
    parser.add_argument(
        "--jobs", type=int, default=2, metavar="N", help="with --batch: crates at a time (default: 2)"
    )
    parser.add_argument(
        "--state", metavar="FILE", help="with --batch: the resume file (default: in the cache)"
    )
    parser.add_argument(
        "--no-fuzz",
        action="store_true",
        help="do not fuzz the changed fns of a validated fix or diff (old and new on the same inputs)",
    )
    parser.add_argument(
        "--refactor",
        action="store_true",
        help="with --diff: the diff claims to keep behaviour, so a difference fuzzing finds is red "
        "(without it a difference is shown as evidence); with --base: each changed fn is fuzzed, base "
        "against head, and an input where they differ is an error (rusta/behaviour-changed)",
    )
    add_bench_arguments(parser, consent=False)


class Proving(msgspec.Struct, frozen=True, kw_only=True):
    """The proofs a validated fix or diff earns besides check and tests."""

    fuzz: bool = True
    refactor: bool = False
    bench: BenchPolicy | None = None
    timeout_s: float | None = None  # --time-limit: each harness's build and run
    lints: bool = True  # the sandbox's check lints with clippy (not with --no-clippy)


def _validate(
    root: Path, diff: str, why: str, proving: Proving, intent: Literal["refactor", "fix", "change"]
) -> Any:
    from engine.patching import api
    from engine.patching.types import Patch

    fuzz = intent if proving.fuzz else None
    return api.validate(
        root,
        Patch.new(diff, why),
        fuzz=fuzz,
        bench=proving.bench,
        proof_timeout_s=proving.timeout_s,
        lints=proving.lints,
    )


def _findings(root: Path, report: Any, validate_fixes: bool, proving: Proving) -> tuple[Finding, ...]:
    from engine.explain.api import explain_report
    from engine.proofs.collect import intent_for
    from rusta_tui.patchstatus import judge, placeholder_sentence, placeholders

    out = []
    for e in explain_report(report):
        fix = None
        if e.patch is not None:
            fix = FixView(source=e.patch.source, applicability=e.patch.applicability)
            if placeholders(e):  # it cannot compile as written: validating it would only say red
                fix = msgspec.structs.replace(fix, verdict="needs_input", reason=placeholder_sentence(e))
            elif validate_fixes:
                # a fix Rusta offers for a warning should keep behaviour: a difference is red
                v = _validate(root, e.patch.diff, e.summary or e.message, proving, intent_for(e.level))
                status, reason = judge(v, e.level)
                fix = msgspec.structs.replace(fix, verdict=status, reason=reason, proofs=v.proofs)
        out.append(
            Finding(
                code=e.code,
                level=e.level,
                file=e.primary.file,
                line=e.primary.line,
                summary=e.summary,
                fix=fix,
            )
        )
    return tuple(out)


def build_review(
    root: Path,
    *,
    tool: CheckTool,
    diff_file: str | None,
    validate_fixes: bool,
    fail_on: str,
    proving: Proving | None = None,
) -> Review:
    from toolbelt.cargo_run import run_check
    from toolbelt.diag_identity import distinct

    report = run_check(root, tool=tool)
    if report.status in ("failed", "timeout", "error"):
        raise NoVerdict(report.message or f"cargo {tool} failed without saying why.")
    each_once = distinct(report.diagnostics)  # lib and lib test report one error twice
    errors = sum(1 for d in each_once if d.level.startswith("error"))
    warnings = sum(1 for d in each_once if d.level == "warning")
    proving = proving or Proving()
    findings = _findings(root, report, validate_fixes, proving)
    diff = None
    if diff_file is not None:
        text = Path(diff_file).read_text(encoding="utf-8")
        intent: Literal["refactor", "change"] = "refactor" if proving.refactor else "change"
        v = _validate(root, text, f"review of {Path(diff_file).name}", proving, intent)
        diff = DiffVerdict(
            file=diff_file,
            verdict=v.verdict,
            reason=v.reason,
            errors_before=v.errors_before,
            errors_after=v.errors_after,
            proofs=v.proofs,
        )
    if diff is not None and diff.verdict != "green":
        verdict, reason = "fail", f"the diff is red: {diff.reason}"
    elif fail_on == "error" and errors:
        verdict, reason = "fail", f"{errors} compile error(s) remain"
    elif fail_on == "warning" and (errors or warnings):
        verdict, reason = "fail", f"{errors} error(s) and {warnings} warning(s) remain"
    else:
        verdict, reason = (
            "pass",
            "nothing at or above --fail-on" if diff is None else f"the diff is green: {diff.reason}",
        )
    return Review(
        crate=root.name,
        tool=tool,
        errors=errors,
        warnings=warnings,
        findings=findings,
        diff=diff,
        verdict=verdict,
        reason=reason,
    )


class NoVerdict(Exception):
    user_facing = True
    exit_code = EXIT_NO_VERDICT


def render_text(review: Review) -> str:
    lines = [
        f"Review of {review.crate}: {review.errors} error(s), {review.warnings} warning(s) (cargo {review.tool})"
    ]
    for f in review.findings:
        fix = ""
        if f.fix is not None:
            fix = f"  [fix: {f.fix.source}, {f.fix.applicability}"
            if f.fix.verdict == "needs_input":
                fix += ", needs your input]"
            elif f.fix.verdict == "not_run":
                fix += ", not run: the crate does not compile yet]"
            else:
                fix += f", validated {f.fix.verdict}]" if f.fix.verdict else "]"
        lines.append(f"  {f.level:<7} {f.code or '-':<24} {f.file}:{f.line}  {f.summary}{fix}")
        lines += _proof_lines(f.fix.proofs if f.fix is not None else (), "      ")
    if review.diff is not None:
        lines.append(f"Diff {review.diff.file}: {review.diff.verdict}. {review.diff.reason}")
        lines += _proof_lines(review.diff.proofs, "  ")
    lines.append(f"Verdict: {review.verdict} ({review.reason}).")
    return "\n".join(lines)


def _proof_lines(proofs: tuple[Proof, ...], indent: str) -> list[str]:
    """The proofs beyond check and tests (the verdict already says those): fuzz, bench, miri."""
    from engine.proofs.collect import proof_lines

    return proof_lines(proofs, indent, skip=("check", "tests"))


def run(args: argparse.Namespace) -> int:
    from toolbelt.cargo_workspace import project_root
    from toolbelt.crate import read_manifest

    fmt = args.format or ("json" if args.json else "text")
    args.format, args.json = fmt, fmt == "json"
    if args.batch:
        from rusta_tui.cli.review_batch import run_batch

        return run_batch(args)
    selection_from_args(args)  # -p/--features/targets for every cargo run of this command
    root = project_root(args.path)
    read_manifest(root)
    bench = bench_policy(args, root)
    if args.base is not None:
        from rusta_tui.cli.review_rev import run as run_revisions

        return run_revisions(args, root, bench)
    if args.head is not None or args.export is not None or args.export_branch or fmt in ("md", "sarif"):
        print(
            f"rusta: --head, --export, --export-branch and --format {fmt} need --base REV to measure the change from.",
            file=sys.stderr,
        )
        return EXIT_NO_VERDICT
    if args.diff is not None and not Path(args.diff).is_file():
        print(f"rusta: {args.diff}: no such file.", file=sys.stderr)
        return EXIT_NO_VERDICT
    if bench is None and args.diff is not None:  # a diff that changes a fn marked hot is timed
        from engine.patching.types import Patch

        diff_text = Path(args.diff).read_text(encoding="utf-8", errors="surrogateescape")
        bench, why = hot_policy(args, root, Patch.new(diff_text, "the reviewed diff"))
        if why and not args.json:
            print(why, file=sys.stderr)
    review = build_review(
        root,
        tool="check" if args.no_clippy else "clippy",
        diff_file=args.diff,
        validate_fixes=args.validate_fixes,
        fail_on=args.fail_on,
        proving=Proving(
            fuzz=not args.no_fuzz,
            refactor=args.refactor,
            bench=bench,
            timeout_s=args.time_limit,
            lints=not args.no_clippy,
        ),
    )
    if args.json:
        sys.stdout.write(msgspec.json.encode(review).decode() + "\n")
    else:
        print(render_text(review))
    return EXIT_PASS if review.verdict == "pass" else EXIT_FINDINGS
