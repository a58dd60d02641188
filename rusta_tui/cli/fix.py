"""`rusta fix`: find a validated fix for the crate's errors, show why, and apply it only when green.

The exit code says the state the crate is left in, never merely that Rusta ran (`rusta_tui.cli.exitcodes`).
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING

import msgspec
from rich.console import Console
from rich.markup import escape
from rich.syntax import Syntax

from rusta_tui.cli.argtypes import add_selection_arguments, positive, probability, selection_from_args
from rusta_tui.cli.exitcodes import EXIT_REFUSED
from rusta_tui.cli.proofargs import add_bench_arguments, bench_note, bench_policy, hot_policy, not_asked

if TYPE_CHECKING:
    from diary.devlog import DevLog
    from engine.patching.types import Patch, Validation
    from engine.repair.flow import Proposal
    from engine.repair.search import Accept
    from engine.repair.types import ApplyDecision, RepairResult


EXIT_OK = 0
EXIT_ERRORS = 1
EXIT_TESTS = 5  # the meaning of each code is in rusta_tui.cli.exitcodes (shown by --help)
EXIT_DEVLOG = 4


def _read_only(root: Path) -> str | None:
    """Why Rusta cannot write to `root`, in one sentence; None when she can.

    A fix writes the user's files and the DevLog in `.rusta/`; on a read-only mount or without write
    permission both would fail half way, so say so before any cargo run.
    """
    import os

    try:
        ro_mount = bool(os.statvfs(root).f_flag & os.ST_RDONLY)
    except OSError:
        ro_mount = False
    if not ro_mount and os.access(root, os.W_OK):
        return None
    where = "is on a read-only filesystem" if ro_mount else "is not writable by you"
    return (
        f"{root} {where}, so rusta fix cannot write a fix or its DevLog there; nothing was changed. "
        "`rusta check` and `rusta explain` work on it."
    )


def add_arguments(parser: argparse.ArgumentParser) -> None:
    add_selection_arguments(parser)
    parser.add_argument("path", nargs="?", default=".", help="the crate, or a folder inside it (default: .)")
    parser.add_argument(
        "--yes",
        action="store_true",
        help="apply the green fix without asking, when the Confidence head rates it at the threshold or above; "
        "below it the fix is shown and held back (exit 3), saying why",
    )
    parser.add_argument(
        "--min-confidence",
        type=probability,
        metavar="P",
        help="the --yes threshold for this run, 0 to 1 (0 applies every green fix); default: "
        "fix_min_confidence in .rusta/settings.toml, else the head's own (0.75)",
    )
    parser.add_argument("--dry-run", action="store_true", help="show the validated fix, change nothing")
    parser.add_argument(
        "--reject",
        metavar="REASON",
        help="show the fix and turn it down; the repo's memory ranks its kind lower next time",
    )
    parser.add_argument(
        "--budget",
        type=positive,
        default=12,
        help="most candidates to validate, the only limit on the search (default 12)",
    )
    parser.add_argument("--no-tests", action="store_true", help="validate candidates with cargo check only")
    parser.add_argument("--json", action="store_true", help="one JSON object with the outcome")
    parser.add_argument(
        "--alternatives",
        type=positive,
        default=1,
        metavar="N",
        help="look for up to N green fixes to choose from",
    )
    parser.add_argument(
        "--pick", type=positive, metavar="K", help="apply green alternative K (1 = Rusta's first choice)"
    )
    parser.add_argument(
        "--accept",
        choices=("safe", "maybe"),
        help=(
            "safe: only a fix some test passed with, or that rustc calls machine-applicable; "
            "maybe: also one only the compiler vouches for (default: safe, maybe with --no-tests)"
        ),
    )
    parser.add_argument(
        "--fuzz",
        action=argparse.BooleanOptionalAction,
        default=None,
        help="run the changed fns old and new on the same generated inputs before applying (default: on; "
        "with --dry-run only when asked); a behaviour change is shown with the input that shows it",
    )
    add_bench_arguments(parser)


def show_patch(console: Console, patch: Patch) -> None:
    """The explanation and the diff exactly as they are: no rich markup read into `#[derive(..)]`, no cut lines."""
    console.print(f"[bold]Why:[/] {escape(patch.explanation)}")
    # soft_wrap: a diff line is never cut at the console width (a cut line is not the patch)
    console.print(Syntax(patch.diff, "diff", theme="ansi_dark", background_color="default"), soft_wrap=True)


def _print_proofs(console, validation) -> None:
    """What ran for this patch and what did not, and why (check, tests with counts, miri, fuzz)."""
    from engine.proofs.collect import proof_lines

    for line in proof_lines(validation.proofs):
        console.print(line, markup=False)


def _validate(console: Console, root: Path, proposal: Proposal, log: DevLog, args, bench) -> Validation:
    """The patch gate, then the proofs asked for (fuzz unless --no-fuzz; bench with --bench, or when
    the patch changes a fn marked hot)."""
    from engine.repair import flow

    fuzz = args.fuzz is not False
    why_hot = ""
    if bench is None and proposal.patch is not None:
        bench, why_hot = hot_policy(args, root, proposal.patch)
    if not args.json:
        if why_hot:
            console.print(why_hot, markup=False)
        if fuzz:
            console.print(
                "Then differential fuzzing of the changed fns (Rusta's own seeded generator, not libFuzzer).",
                markup=False,
            )
        if bench is not None:
            console.print(bench_note(bench), markup=False)
    v = flow.validate(root, proposal, log=log, fuzz=fuzz, bench=bench)
    if bench is not None or proposal.patch is None:
        return v
    return msgspec.structs.replace(v, proofs=(*v.proofs, *not_asked(root, proposal.patch)))


def _ask(console: Console, question: str) -> str:
    """The answer typed at the terminal; "" (the default) when it ends the input (ctrl-D), which is
    no answer, as `rusta apply` reads it, not an internal error."""
    try:
        return console.input(escape(question)).strip()
    except EOFError:
        console.print()
        return ""


def _emit_json(obj: dict, alternatives: list[dict] | None = None) -> None:
    sys.stdout.write(json.dumps({**obj, "alternatives": alternatives or []}) + "\n")


def run(args: argparse.Namespace) -> int:
    from diary.devlog import DevLog
    from diary.tasks import settling
    from engine.patching import api as patching
    from engine.repair import flow
    from toolbelt.cargo_workspace import project_root

    console = Console(stderr=False, highlight=False)
    selection_from_args(args)  # -p/--features/targets for every cargo run of this command
    root = project_root(Path(args.path))
    if (why := _read_only(root)) is not None:
        print(f"rusta: {why}", file=sys.stderr)
        return EXIT_DEVLOG
    for line in patching.recover(root):
        console.print(f"[yellow]recovered:[/] {escape(line)}")
    with DevLog.open(root) as log:
        if not args.json:
            console.print(f"Looking for a fix in {root} (budget {args.budget} validations)...", markup=False)
        want = max(args.alternatives, args.pick or 1)
        accept: Accept = args.accept or ("maybe" if args.no_tests else "safe")
        proposal = flow.propose(
            root, budget=args.budget, run_tests=not args.no_tests, log=log, alternatives=want, accept=accept
        )
        with settling(log, lambda: proposal.task):  # an error or Ctrl-C from here on settles the task
            return _finish(args, console, root, log, proposal)


def _finish(args: argparse.Namespace, console: Console, root: Path, log: DevLog, proposal: Proposal) -> int:
    """Show the proposal, then validate and apply it (or decline), settling the repair task."""
    from engine.repair import flow

    result = proposal.result
    tried = [
        {"candidate": t.candidate.description, "family": t.candidate.family, "verdict": t.verdict}
        for t in result.trials
    ]
    greens = [
        {"description": a.description, "family": a.family, "verdict": a.verdict, "diff": a.diff}
        for a in result.alternatives
    ]
    facts = _facts(result)
    if result.status not in ("fixed", "partial") or proposal.patch is None:
        if args.json:
            _emit_json(
                {
                    "status": result.status,
                    "message": result.message,
                    "tried": tried,
                    "applied": None,
                    **facts,
                },
                greens,
            )
        else:
            console.print(result.message or "Nothing to do.", markup=False)
            if result.held_back:
                best = result.held_back[0]
                console.print(
                    f"The best one held back, compiled in a scratch copy: {best.description}", markup=False
                )
                console.print(
                    Syntax(best.diff, "diff", theme="ansi_dark", background_color="default"), soft_wrap=True
                )
            if result.status == "abstained":
                n = result.validations
                console.print(f"I validated {n} candidate{'s' if n != 1 else ''}; nothing changed.")
        if result.status == "clean":
            return EXIT_OK
        return EXIT_TESTS if result.status == "failing-tests" else EXIT_ERRORS
    partial = result.status == "partial"
    alts = result.alternatives
    if len(alts) > 1 and not args.json:
        console.print(f"{len(alts)} green fixes, best first:")
        for i, a in enumerate(alts, 1):
            console.print(f"  {i}. {a.description} ({a.family}, {a.verdict})", markup=False)
    pick = args.pick
    if pick is None and len(alts) > 1 and not args.yes and sys.stdin.isatty():
        answer = _ask(console, f"Which one? [1-{len(alts)}, default 1] ")
        pick = int(answer) if answer.isdigit() else 1
    if not partial:
        proposal = flow.choose(proposal, (pick or 1) - 1)
    patch = proposal.patch
    assert patch is not None  # checked above; `choose` swaps in a green alternative, never None
    if not args.json:
        show_patch(console, patch)
        if result.preexisting_failures:
            pre = result.preexisting_failures
            console.print(
                f"{len(pre)} test{'s' if len(pre) != 1 else ''} already failed at {result.baseline}; "
                f"not mine: {', '.join(pre)}",
                markup=False,
            )
    # the head rated Rusta's first choice; a fix picked by hand (--pick 2) is the user's choice, not hers
    top = partial or (pick or 1) == 1
    decision = _decision(args, root, result)
    facts |= {"confidence": decision.confidence if top else None, "threshold": decision.threshold}
    after_fix = EXIT_ERRORS if partial else (EXIT_TESTS if result.preexisting_failures else EXIT_OK)
    if args.reject is not None:
        reason = args.reject.strip() or "no reason given"
        flow.decline(proposal, f"the user rejected the fix: {reason}", log=log, by_user=True, reason=reason)
        if args.json:
            _emit_json(
                {
                    "status": "rejected",
                    "reason": reason,
                    "diff": patch.diff,
                    "tried": tried,
                    "applied": None,
                    **facts,
                },
                greens,
            )
        else:
            console.print("Rejected and remembered: this repo's memory ranks the fix lower next time.")
        return EXIT_ERRORS
    bench = bench_policy(args, root)
    if args.dry_run:
        proved = None
        if args.fuzz or bench is not None:  # asked for: the gate and the proofs run, nothing is written
            proved = _validate(console, root, proposal, log, args, bench)
        flow.decline(proposal, "dry run: shown, not applied", log=log)
        if args.json:
            _emit_json(
                {
                    "status": result.status,
                    "diff": patch.diff,
                    "explanation": patch.explanation,
                    "tried": tried,
                    "applied": None,
                    **({"validation": msgspec.to_builtins(proved)} if proved is not None else {}),
                    **facts,
                },
                greens,
            )
        elif proved is not None:
            console.print(
                f"Dry run, not applied; the sandbox says {proved.verdict}: {proved.reason}", markup=False
            )
            _print_proofs(console, proved)
        if proved is not None and not proved.green:
            return EXIT_REFUSED  # the gate refused it: a red fix is one Rusta would not apply
        return after_fix
    if args.yes and top and not decision.apply:
        # nobody looks at a --yes fix before it lands, so the head's doubt is the only review it gets
        flow.decline(proposal, decision.reason, log=log)
        if args.json:
            _emit_json(
                {
                    "status": "held-back",
                    "message": decision.reason,
                    "diff": patch.diff,
                    "explanation": patch.explanation,
                    "tried": tried,
                    "applied": None,
                    **facts,
                },
                greens,
            )
        else:
            console.print(decision.reason, markup=False, soft_wrap=True)
        return EXIT_REFUSED
    if args.yes and top and decision.confidence is not None and not args.json:
        console.print(decision.reason, markup=False, soft_wrap=True)
    if not args.yes:
        if not sys.stdin.isatty():
            flow.decline(proposal, "not confirmed: no terminal to ask and no --yes", log=log)
            console.print("Not applied: stdin is not a terminal; rerun with --yes to apply.")
            return EXIT_ERRORS
        what = "this partial fix" if partial else "it"
        answer = _ask(console, f"Validate {what} in the sandbox and apply? [y/N] ").lower()
        if answer not in ("y", "yes"):
            flow.decline(proposal, "the user declined the fix", log=log, by_user=True)
            console.print("Left as it was.")
            return EXIT_ERRORS
    validation = _validate(console, root, proposal, log, args, bench)
    if not validation.green:
        flow.decline(proposal, f"sandbox said red: {validation.reason}", log=log)
        if args.json:
            _emit_json(
                {
                    "status": "red",
                    "message": validation.reason,
                    "tried": tried,
                    "applied": None,
                    "proofs": msgspec.to_builtins(validation.proofs),
                    **facts,
                },
                greens,
            )
        else:
            console.print(f"Not applied: the sandbox says red: {validation.reason}", markup=False)
            _print_proofs(console, validation)
        return EXIT_REFUSED  # refused on purpose, as `rusta apply` and `explain --apply` refuse a red patch
    op = flow.commit(root, proposal, validation, log=log)
    if args.json:
        _emit_json(
            {
                "status": "applied",
                "repair": result.status,
                "diff": patch.diff,
                "explanation": patch.explanation,
                "tried": tried,
                "applied": msgspec.to_builtins(op),
                "validation": msgspec.to_builtins(validation),
                **facts,
            },
            greens,
        )
    else:
        left = f" {len(result.left)} error{'s' if len(result.left) != 1 else ''} left." if partial else ""
        console.print(
            f"Applied as {op.op_id}: {validation.reason}{left} `rusta undo` reverts it.", markup=False
        )
        _print_proofs(console, validation)
    if partial:
        return EXIT_ERRORS
    tests_fail = validation.test_status == "failed" or bool(validation.preexisting_failures)
    return EXIT_TESTS if tests_fail else EXIT_OK


def _decision(args: argparse.Namespace, root: Path, result: RepairResult) -> ApplyDecision:
    """Whether --yes may apply `result` by the Confidence head, against --min-confidence, else the
    crate's `fix_min_confidence`, else the head's own threshold (a broken settings file is an error)."""
    from engine.repair.headorder import apply_decision

    threshold = args.min_confidence
    if threshold is None:
        from rusta_tui import settings

        threshold = settings.load(root).fix_min_confidence
    return apply_decision(result, threshold)


def _facts(result: RepairResult) -> dict:
    """What the JSON carries besides the outcome: the baseline, old failures, what is left and why."""
    return {
        "baseline": result.baseline or None,
        "baseline_note": result.baseline_note or None,
        "preexisting_failures": list(result.preexisting_failures),
        "failing_tests": list(result.failing_tests),
        "left": [msgspec.to_builtins(x) for x in result.left],
        "held_back": [
            {"description": a.description, "family": a.family, "diff": a.diff} for a in result.held_back
        ],
        "validations": result.validations,
    }
