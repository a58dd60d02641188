"""`rusta history`: the op log of applied, undone and redone patches, newest last; `--diff ID`
prints what one of them wrote, so a patch can be read after it landed (undo --show only shows the
last one, and only what undo would write now)."""

from __future__ import annotations

import argparse
import sys
import time

import msgspec

from rusta_tui.cli.apply import add_crate_arguments, crate_arg, print_recovered


def add_arguments(parser: argparse.ArgumentParser) -> None:
    add_crate_arguments(parser)
    parser.add_argument("--json", action="store_true", help="one JSON object per op per line")
    parser.add_argument("--files", action="store_true", help="list each op's files")
    parser.add_argument("-n", type=int, default=0, help="only the last N ops")
    parser.add_argument(
        "--diff",
        metavar="ID",
        default=None,
        help="print the unified diff the op ID wrote (an op id or its start, or a patch id p-...: its newest apply)",
    )


def run(args: argparse.Namespace) -> int:
    from engine.patching import api, oplog
    from engine.patching.render import files_line, op_line

    root = api.crate_root(crate_arg(args))
    print_recovered(root)
    if args.diff:
        op, diff = api.op_diff(root, args.diff)
        print(op_line(op))
        sys.stdout.write(diff or "(no change: the op's files held the same bytes before and after)\n")
        return 0
    ops = api.history(root)
    shown = ops[-args.n :] if args.n > 0 else ops
    if args.json:
        for o in shown:
            print(msgspec.json.encode(o).decode())
        return 0
    if not ops:
        print("No patch has been applied to this crate by Rusta yet.")
        return 0
    for o in shown:
        print(op_line(o))
        if args.files:
            print(files_line(o))
    st = oplog.stacks(root)
    nxt = []
    if st.undo:
        nxt.append(f"`rusta undo` reverts {st.undo[-1].op} {st.undo[-1].op_id}")
    if st.redo:
        nxt.append(f"`rusta redo` re-applies {st.redo[-1].op_id}")
    if nxt:
        print("; ".join(nxt) + ".")
    print(history_end(root, ops))
    return 0


def history_end(root, ops) -> str:
    """Where undo stops: the oldest op gc keeps undoable, from the cap in settings (and its last run)."""
    from diary import gc

    limits = gc.limits_for(root)
    kept = min(len(ops), limits.undo_history_ops)
    if kept >= len(ops):
        return (
            f"Undo history: all {len(ops)} op(s) are kept (the cap is {limits.undo_history_ops}, "
            "undo_history_ops in .rusta/settings.toml)."
        )
    floor = ops[-kept].op_id if kept else None
    last = gc.load_state(root)
    when = "" if last is None else f"; gc last ran {time.strftime('%Y-%m-%d %H:%M', time.localtime(last.at))}"
    start = (
        f"ends at {floor}: the newest {kept} op(s) stay undoable"
        if floor
        else "is empty: no op stays undoable"
    )
    return (
        f"Undo history {start} (undo_history_ops = {limits.undo_history_ops}); the {len(ops) - kept} older "
        f"op(s) may no longer undo, since `rusta gc` collects their snapshots when the store is over its cap{when}."
    )
