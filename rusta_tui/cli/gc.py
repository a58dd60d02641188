"""`rusta gc`: bring Rusta's cache and the crate's snapshot store under their caps, in one table.

The cache (target dirs, sandboxes, scratch copies) is per user; the store is the crate's, collected
when PATH (or the folder here) is inside a crate. Caps come from `.rusta/settings.toml`
(`cache_cap_mb`, `snapshot_cap_mb`, `snapshot_max_age_days`, `undo_history_ops`).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import msgspec

from rusta_tui.cli.apply import add_crate_arguments


def add_arguments(parser: argparse.ArgumentParser) -> None:
    add_crate_arguments(parser)
    parser.add_argument("--dry-run", action="store_true", help="say what would be freed; change nothing")
    parser.add_argument("--json", action="store_true", help="print the report as one JSON object")


def size(n: int) -> str:
    for unit, scale in (("GiB", 1024**3), ("MiB", 1024**2), ("KiB", 1024)):
        if n >= scale:
            return f"{n / scale:.1f} {unit}"
    return f"{n} B"


def _crate(args: argparse.Namespace) -> Path | None:
    """The crate whose store to collect: PATH must be one; with no PATH, the crate here if any."""
    from toolbelt.crate import find_crate_root
    from toolbelt.errors import NotACrate

    given = args.crate or args.path
    try:
        return find_crate_root(given or ".").resolve()
    except NotACrate:
        if given:
            raise
        return None


def render(report):  # -> rich Table; rich imported here so --json never loads it
    from rich.table import Table

    verb = "Would free" if report.dry_run else "Freed"
    table = Table(title=f"rusta gc{' --dry-run' if report.dry_run else ''}", title_justify="left")
    for name in ("Kind", "Entries", "Size", "Removed", verb, "In use", "Cap"):
        table.add_column(name, justify="left" if name == "Kind" else "right", no_wrap=True)
    for r in report.rows:
        cap = "" if r.cap is None else size(r.cap) + (" (cache)" if r.kind != "snapshots" else "")
        table.add_row(
            r.kind, str(r.entries), size(r.bytes), str(r.removed), size(r.freed), str(r.in_use or ""), cap
        )
    return table


def run(args: argparse.Namespace) -> int:
    from diary import gc
    from engine.patching import transaction

    root = _crate(args)
    if root is None:
        report = gc.collect(None, dry_run=args.dry_run)
    else:
        with transaction.patch_lock(root):  # no op is half way while its snapshots are weighed
            report = gc.collect(root, dry_run=args.dry_run)
    if args.json:
        body = msgspec.to_builtins(report) | {"freed": report.freed}
        sys.stdout.buffer.write(msgspec.json.encode(body) + b"\n")
        return 0
    from rich.console import Console

    console = Console(highlight=False)
    console.print(render(report))
    where = f"the cache at {report.cache_root}" + (f" and {root}/.rusta/snapshots.git" if root else "")
    if report.dry_run:
        console.print(f"Would free {size(report.freed)} from {where}; nothing was changed.")
    else:
        console.print(f"Freed {size(report.freed)} from {where}.")
    if root is None:
        console.print("No crate here, so no snapshot store was looked at; give its PATH to include one.")
    for n in report.notes:
        console.print(n[0].upper() + n[1:])
    return 0
