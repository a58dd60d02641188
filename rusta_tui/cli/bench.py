"""`rusta bench`: the CLI for `make bench`. Runs `python -m bench` from Rusta's source checkout.

The bench may import anything and nothing imports it (the layering rule), so the CLI runs it as a
process: the benches in it, their sizes and the goals table all live in `bench/`.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
from pathlib import Path

from rusta_tui.errors import TuiError

SOURCE = Path(__file__).resolve().parents[2]


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("names", nargs="*", metavar="NAME", help="only these benches (default: all)")
    parser.add_argument(
        "--quick",
        action="store_true",
        help="every bench at tiny sizes, in about a minute: proves each still runs; judges no timing, writes nothing",
    )
    parser.add_argument(
        "--table", action="store_true", help="print the goals table from bench/results/*.json, run nothing"
    )
    parser.add_argument(
        "--plot",
        action="store_true",
        help="each goal's figure across revisions: plotext in the terminal, a PNG when matplotlib is installed",
    )


def run(args: argparse.Namespace) -> int:
    if not (SOURCE / "bench" / "__main__.py").is_file():
        raise TuiError(
            f"rusta bench runs from Rusta's source checkout, and {SOURCE} has no bench/; "
            "clone the repository and run it there (`make bench`)."
        )
    argv = [sys.executable, "-m", "bench", *args.names]
    argv += [
        flag for flag, on in (("--quick", args.quick), ("--table", args.table), ("--plot", args.plot)) if on
    ]
    env = dict(
        os.environ, PYTHONPATH=os.pathsep.join(p for p in (str(SOURCE), os.environ.get("PYTHONPATH")) if p)
    )
    return subprocess.run(argv, cwd=SOURCE, env=env, check=False).returncode
