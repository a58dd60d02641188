"""`rusta doctor`: a table of what Rusta needs, what this machine has, and how to fix the rest.

Exit 0 only when every required check passes; optional tools that are missing are warnings.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import msgspec

from toolbelt.doctor import DoctorReport, run_doctor

_MARK = {"ok": ("ok", "green"), "warn": ("warn", "yellow"), "fail": ("FAIL", "bold red")}


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "path",
        nargs="?",
        default=".",
        help="a crate whose rust-toolchain.toml pin is checked too, when it has one (default: .)",
    )
    parser.add_argument("--json", action="store_true", help="print the checks as one JSON object")


def render(report: DoctorReport):  # -> rich Table; rich imported here so --json never loads it
    from rich.table import Table

    table = Table(title="rusta doctor", title_justify="left", show_lines=False)
    table.add_column("Check", style="bold", no_wrap=True)
    table.add_column("Status", no_wrap=True)
    table.add_column("Found")
    table.add_column("Fix")
    for c in report.checks:
        word, style = _MARK[c.status]
        need = "" if c.required else " [dim](opt)[/]"
        table.add_row(c.name + need, f"[{style}]{word}[/]", c.detail, c.fix)
    return table


def run(args: argparse.Namespace) -> int:
    report = run_doctor(Path(args.path))
    if args.json:
        body = {"ok": report.ok, "checks": msgspec.to_builtins(report.checks)}
        sys.stdout.buffer.write(msgspec.json.encode(body) + b"\n")
    else:
        from rich.console import Console

        console = Console(highlight=False)
        console.print(render(report))
        failed = [c.name for c in report.checks if c.required and c.status == "fail"]
        if failed:
            console.print(f"Missing what Rusta needs: {', '.join(failed)}. Fix those first.")
        else:
            console.print("Everything Rusta needs is here.")
    return 0 if report.ok else 1
