"""`rusta demo`: reset the bundled demo crate to its broken state, or say where the bundled copy lives."""

from __future__ import annotations

import argparse
from pathlib import Path

from toolbelt import demo


def add_arguments(parser: argparse.ArgumentParser) -> None:
    sub = parser.add_subparsers(dest="demo_command", metavar="ACTION", required=True)
    reset = sub.add_parser(
        "reset",
        help="Write the demo crate, with its mistakes, to DEST",
        description="Write the demo crate, with its mistakes, to DEST. Only the demo's own files are "
        "replaced; a folder that is not a Rusta demo crate is refused.",
    )
    reset.add_argument("dest", nargs="?", default=str(demo.DEFAULT_DEST), help="default: %(default)s")
    sub.add_parser(
        "path",
        help="Print where the bundled demo crate lives",
        description="Print where the bundled demo crate lives (read-only package data).",
    )
    sub.add_parser(
        "mistakes",
        help="List the mistakes planted in the demo crate",
        description="List the mistakes planted in the demo crate and the one edit that fixes each.",
    )


def run(args: argparse.Namespace) -> int:
    if args.demo_command == "path":
        print(demo.source_dir())
        return 0
    if args.demo_command == "mistakes":
        for m in demo.MISTAKES:
            print(f"{m.code:<28} {m.file}:{m.function}  fix: {m.fix}")
        return 0
    from rusta_tui.cli.tui import invocation  # `make run` leaves `rusta` off PATH: name what runs here

    root = demo.reset(Path(args.dest))
    print(
        f"Demo crate reset at {root}: {len(demo.MISTAKES)} planted mistakes. "
        f"Try `{invocation()} check {args.dest}`."
    )
    return 0
