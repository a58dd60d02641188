"""`rusta hot add|remove|list`: the fns a user marks as hot, timed before and after by every patch
that changes them (as `--bench` would, under Settings' "Slowdown %"), in the CLI and the app alike.

The marks live in the crate's `.rusta/hot.json` (engine.proofs.hot); in a workspace, in its root's,
one list for every member, each fn named by its path from the root.
"""

from __future__ import annotations

import argparse


def add_arguments(parser: argparse.ArgumentParser) -> None:
    sub = parser.add_subparsers(dest="action", metavar="ACTION", required=True)
    for name, help_text in (
        ("add", "mark a fn hot: a patch that changes it gets a before/after benchmark"),
        ("remove", "unmark a hot fn"),
    ):
        p = sub.add_parser(name, help=help_text, description=help_text)
        p.add_argument(
            "fn",
            help="FILE:LINE (the fn holding that line; FILE as seen from PATH's crate, a workspace member "
            "or its root), or a name: parse, Type::parse (PATH's member first, then the whole workspace)",
        )
        p.add_argument("path", nargs="?", default=".", help="the crate, or a folder inside it (default: .)")
    ls = sub.add_parser("list", help="the fns marked hot", description="the fns marked hot")
    ls.add_argument("path", nargs="?", default=".", help="the crate, or a folder inside it (default: .)")


def run(args: argparse.Namespace) -> int:
    from engine.patching.api import crate_root
    from engine.proofs import hot
    from toolbelt.crate import find_crate_root

    root = crate_root(args.path)
    if args.action == "list":
        fns = hot.load(root).fns
        if not fns:
            print("No fn is marked hot. `rusta hot add FN` marks one.")
        for f in fns:
            print(f"{f.path}: {f.name}")
        return 0
    fn = hot.find(root, args.fn, here=find_crate_root(args.path))
    if args.action == "add":
        new = hot.mark(root, fn)
        said = "marked hot" if new else "already hot"
        print(f"{fn.name} ({fn.path}) {said}: a patch that changes it is timed before and after.")
        return 0
    if hot.unmark(root, fn):
        print(f"{fn.name} ({fn.path}) is no longer hot.")
    else:
        print(f"{fn.name} ({fn.path}) was not hot.")
    return 0
