"""`rusta redo`: re-apply the change the last `rusta undo` took back."""

from __future__ import annotations

import argparse

from rusta_tui.cli.apply import add_crate_arguments, crate_arg, print_recovered


def add_arguments(parser: argparse.ArgumentParser) -> None:
    add_crate_arguments(parser)


def run(args: argparse.Namespace) -> int:
    from engine.patching import api

    root = api.crate_root(crate_arg(args))
    print_recovered(root)
    rec = api.redo(root)
    print(
        f"{rec.summary[0].upper()}{rec.summary[1:]}: {', '.join(rec.files)} written again (op {rec.op_id})."
    )
    return 0
