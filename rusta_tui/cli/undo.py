"""`rusta undo`: restore exactly the files of Rusta's last change, never over an edit of yours."""

from __future__ import annotations

import argparse
import sys

from rusta_tui.cli.apply import add_crate_arguments, confirm, crate_arg, print_recovered


def add_arguments(parser: argparse.ArgumentParser) -> None:
    add_crate_arguments(parser)
    parser.add_argument(
        "--op",
        default=None,
        metavar="ID",
        help="undo this op (see `rusta history`) instead of the last one; an undo's id re-applies",
    )
    parser.add_argument(
        "--show",
        action="store_true",
        help="show what undo would write and which edits of yours it would replace; change nothing",
    )
    parser.add_argument(
        "--force",
        action="store_true",
        help="undo even over your edits, after showing them (they stay in Rusta's snapshot store)",
    )
    parser.add_argument("--yes", "-y", action="store_true", help="with --force: do not ask")


def run(args: argparse.Namespace) -> int:
    from diary import snapshots as snaps
    from engine.patching import api
    from engine.patching.diffs import render

    root = api.crate_root(crate_arg(args))
    print_recovered(root)
    op, edited = api.pending_undo(root, args.op)
    if args.show or (args.force and edited):
        would = {}
        before = snaps.entries(root, op.snapshot_before)
        for path in op.files:
            cur = api.read_current(root, path)
            new = snaps.read_blob(root, before[path].blob) if path in before else None
            if cur != new:
                would[path] = (cur, new)
        print(f"undo would revert {op.op} {op.op_id} ({op.patch_id}): {op.summary}")
        if not would:  # say so in one line, not under an empty heading (after `demo reset`, say)
            hold = "already holds" if len(op.files) == 1 else "already hold"
            print(f"undo would write nothing: {', '.join(op.files)} {hold} what it restores.")
            if args.show:
                return 0
        if edited and would:
            print(f"your edits since then, in {', '.join(sorted(edited))}, would be replaced:")
            sys.stdout.write(render({p: (theirs, mine) for p, (mine, theirs) in edited.items()}))
        if would:
            print("undo would write:")
            sys.stdout.write(render(would))
        if args.show:
            return 0
        if would:
            confirm("Replace your edits and undo?", args.yes)
    rec = api.undo(root, args.op, force=args.force)
    print(
        f"{rec.summary[0].upper()}{rec.summary[1:]}: {', '.join(rec.files)} restored (op {rec.op_id}). "
        "`rusta redo` puts it back."
    )
    return 0
