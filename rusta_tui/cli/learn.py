"""`rusta learn sync [PATH]`: fold the crate's DevLog into its memory (`.rusta/memory/`).

Incremental: only the records written since the last sync are read. The app syncs by itself when
it starts and when it closes; this command is for scripts and for seeing what was learned.
"""

from __future__ import annotations

import argparse
import sys

import msgspec


def add_arguments(parser: argparse.ArgumentParser) -> None:
    sub = parser.add_subparsers(dest="action", metavar="ACTION", required=True)
    s = sub.add_parser("sync", help="fold the DevLog records since the last sync into the memory")
    s.add_argument("path", nargs="?", default=".", help="the crate, or a folder inside it (default: .)")
    s.add_argument("--json", action="store_true", help="one JSON object: records folded, rebuilt, items")


def run(args: argparse.Namespace) -> int:
    from engine.memory.store import keys, memory_path, sync
    from engine.patching.api import crate_root

    root = crate_root(args.path)
    rep = sync(root)
    items = keys(rep.memory)
    if args.json:
        out = {"folded": rep.folded, "rebuilt": rep.rebuilt, "records": rep.memory.records, "items": items}
        sys.stdout.write(msgspec.json.encode(out).decode() + "\n")
        return 0
    how = "Rebuilt the memory from the DevLog" if rep.rebuilt else "Synced"
    print(
        f"{how}: {rep.folded} new record(s) folded, {rep.memory.records} in all; "
        f"{len(items)} item(s) remembered in {memory_path(root).parent}. `rusta memory show` lists them."
    )
    return 0
