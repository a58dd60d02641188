"""`rusta fix`: find a validated fix for the crate's errors, show why, and apply it only when green."""

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

from rusta_tui.cli.argtypes import positive

if TYPE_CHECKING:
    from diary.devlog import DevLog
    from engine.patching.types import Patch
    from engine.repair.flow import Proposal


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("path", nargs="?", default=".", help="the crate, or a folder inside it (default: .)")
    parser.add_argument("--yes", action="store_true", help="apply the green fix without asking")
    parser.add_argument("--dry-run", action="store_true", help="show the validated fix, change nothing")
    parser.add_argument(
        "--budget", type=positive, default=12, help="most candidates to validate (default 12)"
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


def show_patch(console: Console, patch: Patch) -> None:
    """The explanation and the diff exactly as they are: no rich markup read into `#[derive(..)]`, no cut lines."""
    console.print(f"[bold]Why:[/] {escape(patch.explanation)}")
    # soft_wrap: a diff line is never cut at the console width (a cut line is not the patch)
    console.print(Syntax(patch.diff, "diff", theme="ansi_dark", background_color="default"), soft_wrap=True)


def _emit_json(obj: dict, alternatives: list[dict] | None = None) -> None:
    sys.stdout.write(json.dumps({**obj, "alternatives": alternatives or []}) + "\n")


def run(args: argparse.Namespace) -> int:
    from diary.devlog import DevLog
    from diary.tasks import settling
    from engine.patching import api as patching
    from engine.repair import flow
    from toolbelt.crate import find_crate_root

    console = Console(stderr=False, highlight=False)
    root = find_crate_root(Path(args.path))
    for line in patching.recover(root):
        console.print(f"[yellow]recovered:[/] {escape(line)}")
    with DevLog.open(root) as log:
        if not args.json:
            console.print(f"Looking for a fix in {root} (budget {args.budget} validations)...", markup=False)
        want = max(args.alternatives, args.pick or 1)
        proposal = flow.propose(
            root, budget=args.budget, run_tests=not args.no_tests, log=log, alternatives=want
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
    if result.status != "fixed" or proposal.patch is None:
        if args.json:
            _emit_json(
                {"status": result.status, "message": result.message, "tried": tried, "applied": None},
                greens,
            )
        else:
            console.print(result.message or "Nothing to do.", markup=False)
            if tried:
                console.print(
                    f"I tried {len(tried)} candidate(s) and found no fix that is green as a whole, so I change nothing."
                )
        return 0 if result.status == "clean" else 1
    alts = result.alternatives
    if len(alts) > 1 and not args.json:
        console.print(f"{len(alts)} green fixes, best first:")
        for i, a in enumerate(alts, 1):
            console.print(f"  {i}. {a.description} ({a.family}, {a.verdict})", markup=False)
    pick = args.pick
    if pick is None and len(alts) > 1 and not args.yes and sys.stdin.isatty():
        answer = console.input(escape(f"Which one? [1-{len(alts)}, default 1] ")).strip()
        pick = int(answer) if answer.isdigit() else 1
    proposal = flow.choose(proposal, (pick or 1) - 1)
    patch = proposal.patch
    if not args.json:
        show_patch(console, patch)
    if args.dry_run:
        flow.decline(proposal, "dry run: shown, not applied", log=log)
        if args.json:
            _emit_json(
                {
                    "status": "fixed",
                    "diff": patch.diff,
                    "explanation": patch.explanation,
                    "tried": tried,
                    "applied": None,
                },
                greens,
            )
        return 0
    if not args.yes:
        if not sys.stdin.isatty():
            flow.decline(proposal, "not confirmed: no terminal to ask and no --yes", log=log)
            console.print("Not applied: stdin is not a terminal; rerun with --yes to apply.")
            return 1
        answer = console.input(escape("Validate in the sandbox and apply? [y/N] ")).strip().lower()
        if answer not in ("y", "yes"):
            flow.decline(proposal, "the user declined the fix", log=log)
            console.print("Left as it was.")
            return 1
    validation = flow.validate(root, proposal, log=log)
    if not validation.green:
        flow.decline(proposal, f"sandbox said red: {validation.reason}", log=log)
        if args.json:
            _emit_json(
                {"status": "red", "message": validation.reason, "tried": tried, "applied": None}, greens
            )
        else:
            console.print(f"Not applied: the sandbox says red: {validation.reason}", markup=False)
        return 1
    op = flow.commit(root, proposal, validation, log=log)
    if args.json:
        _emit_json(
            {
                "status": "applied",
                "diff": patch.diff,
                "explanation": patch.explanation,
                "tried": tried,
                "applied": msgspec.to_builtins(op),
                "validation": msgspec.to_builtins(validation),
            },
            greens,
        )
    else:
        console.print(f"Applied as {op.op_id}: {validation.reason} `rusta undo` reverts it.", markup=False)
    return 0
