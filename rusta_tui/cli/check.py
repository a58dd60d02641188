"""`rusta check`: clippy (or plain cargo check) on a crate, shown grouped by file, or as JSON lines.

Exit codes: 0 clean, 1 diagnostics (errors or warnings), 2 when no verdict could be reached
(not a crate, cargo missing, a timeout, cargo failing before the compiler spoke).
"""

from __future__ import annotations

import argparse
import sys

from rusta_tui.cli.argtypes import add_selection_arguments, selection_from_args
from toolbelt.cargo_run import CHECK_TIMEOUT_S, run_check
from toolbelt.types import CheckReport, CheckTool

EXIT_CLEAN, EXIT_DIAGNOSTICS, EXIT_NO_VERDICT = 0, 1, 2


def add_arguments(parser: argparse.ArgumentParser) -> None:
    add_selection_arguments(parser)
    parser.add_argument(
        "path", nargs="?", default=".", help="the crate, or a file or folder inside it (default: .)"
    )
    parser.add_argument("--json", action="store_true", help="one JSON object per diagnostic per line")
    parser.add_argument(
        "--no-clippy",
        action="store_true",
        help="run plain `cargo check` (compiler diagnostics only, no lints)",
    )
    parser.add_argument(
        "--timeout",
        type=float,
        default=CHECK_TIMEOUT_S,
        metavar="SECONDS",
        help="stop cargo (and any build script) after this many seconds (default: %(default)g)",
    )


def _no_verdict_sentence(report: CheckReport, timeout_s: float) -> str:
    if report.status == "timeout":
        return (
            f"cargo did not finish within {timeout_s:g} s and was stopped, build scripts included; "
            "a build script or proc macro may hang. Allow more with --timeout."
        )
    return report.message or f"cargo {report.tool} failed without saying why."


def _run_with_spinner(path: str, tool: CheckTool, timeout_s: float) -> CheckReport:
    """A cold build of a big crate takes a minute: show on stderr that work is going on, and how far."""
    from rich.console import Console

    built = [0]
    console = Console(stderr=True)
    with console.status(f"cargo {tool} is checking {path}") as status:

        def on_line(line: bytes) -> None:
            if b'"reason":"compiler-artifact"' in line:
                built[0] += 1
                status.update(f"cargo {tool} is checking {path}: {built[0]} crates built")

        return run_check(path, tool=tool, timeout_s=timeout_s, on_stdout_line=on_line)


def run(args: argparse.Namespace) -> int:
    if args.timeout <= 0:
        print("rusta: --timeout must be a positive number of seconds.", file=sys.stderr)
        return EXIT_NO_VERDICT
    selection_from_args(args)  # -p/--features/targets for every cargo run of this command
    tool: CheckTool = "check" if args.no_clippy else "clippy"
    if args.json or not sys.stderr.isatty():
        report = run_check(args.path, tool=tool, timeout_s=args.timeout)
    else:
        report = _run_with_spinner(args.path, tool, args.timeout)
    if report.status in ("failed", "timeout", "error"):
        print(f"rusta: {_no_verdict_sentence(report, args.timeout)}", file=sys.stderr)
        return EXIT_NO_VERDICT
    if args.json:
        from toolbelt.report_json import json_lines

        out = sys.stdout.buffer
        for line in json_lines(report):
            out.write(line + b"\n")
        out.flush()
    else:
        from rich.console import Console

        from rusta_tui.cli.check_render import render_report

        Console(highlight=False, soft_wrap=True).print(render_report(report))
    return EXIT_CLEAN if report.status == "clean" else EXIT_DIAGNOSTICS
