"""`rusta memory show|forget ITEM|export`: everything Rusta remembers about a crate, why, and erasing it.

Each item says what it changes and where it was learned ("learned from 2 rejections on
2026-12-04"). `forget` records the forgetting in the DevLog, so a rebuilt memory forgets it too.
The memory lives in the crate's `.rusta/memory/` and never leaves the machine.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path


def add_arguments(parser: argparse.ArgumentParser) -> None:
    sub = parser.add_subparsers(dest="action", metavar="ACTION", required=True)
    s = sub.add_parser("show", help="every item remembered, what it changes and where it was learned")
    s.add_argument("path", nargs="?", default=".", help="the crate, or a folder inside it (default: .)")
    s.add_argument("--json", action="store_true", help="one JSON object per item: key and sentence")
    f = sub.add_parser("forget", help="forget one item (its key from `rusta memory show`), or all")
    f.add_argument(
        "item", help="the item's key, e.g. pref:E0382:clone, mistake:E0502, style:string-from-str, voice, all"
    )
    f.add_argument("path", nargs="?", default=".", help="the crate, or a folder inside it (default: .)")
    e = sub.add_parser("export", help="the whole memory as JSON, to stdout or a file on this machine")
    e.add_argument("path", nargs="?", default=".", help="the crate, or a folder inside it (default: .)")
    e.add_argument("-o", "--output", default=None, help="write to this file instead of stdout")


def run(args: argparse.Namespace) -> int:
    import msgspec

    from engine.memory import store, words
    from engine.patching.api import crate_root

    root = crate_root(args.path)
    if args.action == "forget":
        rep = store.forget(root, args.item)
        left = len(store.keys(rep.memory))
        print(f"Forgot {args.item}; its effect is gone too. {left} item(s) remembered.")
        return 0
    m = store.sync(root).memory
    if args.action == "export":
        data = store.export(m)
        if args.output:
            Path(args.output).write_bytes(data)
            print(f"Wrote the memory to {args.output}.")
        else:
            sys.stdout.write(data.decode())
        return 0
    items = words.show(m)
    if args.json:
        for key, text in items:
            sys.stdout.write(msgspec.json.encode({"key": key, "text": text}).decode() + "\n")
        return 0
    print(f"Rusta's memory of {root.name} ({m.records} DevLog record(s) folded; kept on this machine only):")
    for key, text in items:
        print(f"  {key}\n      {text}")
    print("`rusta memory forget KEY` erases one item and its effect.")
    return 0
