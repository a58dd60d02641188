"""`rusta redo`: re-apply the change the last `rusta undo` took back."""

from __future__ import annotations

import argparse

from rusta_tui.cli.apply import print_recovered


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--path", default=".", help="the crate, or a folder inside it (default: .)")


def run(args: argparse.Namespace) -> int:
    from engine.patching import api

    root = api.crate_root(args.path)
    print_recovered(root)
    rec = api.redo(root)
    print(
        f"{rec.summary[0].upper()}{rec.summary[1:]}: {', '.join(rec.files)} written again (op {rec.op_id})."
    )
    return 0
