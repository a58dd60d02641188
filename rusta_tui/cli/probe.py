"""`rusta probe type-of FILE:LINE:COL`: the compiler's type for the expression at that spot.

Exit codes: 0 with an answer, 2 when there is none (no expression there, not a crate, rustc gave
no type); the reason is one sentence on stderr.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from toolbelt.probe import ProbeError, type_of


def add_arguments(parser: argparse.ArgumentParser) -> None:
    sub = parser.add_subparsers(dest="probe_command", metavar="PROBE", required=True)
    p = sub.add_parser(
        "type-of",
        help="the type rustc gives the expression at FILE:LINE:COL",
        description="Ask rustc for the type of the expression at FILE:LINE:COL (1-based, columns in "
        "characters), in a scratch copy of the crate; your files are only read.",
    )
    p.add_argument("location", metavar="FILE:LINE:COL", help="e.g. src/lib.rs:12:9")
    p.add_argument("--crate", metavar="PATH", help="the crate root (default: the crate holding FILE)")
    p.add_argument("--json", action="store_true", help="print the answer as one JSON object")
    p.add_argument("--no-cache", action="store_true", help="ask rustc again even if the answer is cached")


def _split(location: str) -> tuple[str, int, int]:
    parts = location.rsplit(":", 2)
    if len(parts) != 3 or not parts[0] or not all(x.isdigit() and int(x) > 0 for x in parts[1:]):
        raise ProbeError(f"expected FILE:LINE:COL with positive numbers, got {location!r}.")
    return parts[0], int(parts[1]), int(parts[2])


def run(args: argparse.Namespace) -> int:
    file, line, col = _split(args.location)
    path = Path(file)
    if args.crate and not path.is_absolute() and not path.exists():
        path = Path(args.crate) / path
    result = type_of(args.crate or path, path.resolve(), line, col, use_cache=not args.no_cache)
    if args.json:
        import msgspec

        sys.stdout.buffer.write(msgspec.json.encode(result) + b"\n")
        return 0
    how = "in place" if result.method == "in_place" else "after its statement"
    cached = ", cached" if result.cached else ""
    print(f"{result.file}:{line}:{col}  {' '.join(result.expr.split())}")
    print(f"  {result.type}")
    print(f"  from {result.source}, {how}, {result.duration_s:.2f} s{cached}")
    if result.note:
        print(f"  {result.note}")
    return 0
