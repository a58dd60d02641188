"""`python -m engine.diagindex build|show CODE|check`: see engine/diagindex/__init__.py."""

from __future__ import annotations

import argparse
import os
import sys

from engine.diagindex.errors import DiagIndexError
from engine.diagindex.index import INDEX_PATH, REPO_ROOT, build_index, encode, entry, normalize, save


def _show(code: str) -> int:
    e = entry(code)
    if e is None:
        print(f"{normalize(code)}: not in the index (no KB entry, fixture, case or gym episode names it).")
        return 1
    print(f"{e.code}: {e.title or '(no KB entry)'}")
    if not e.examples:
        print("  no examples yet")
    for ex in e.examples:
        where = ex.ref if ex.kind == "gym-episode" else f"{ex.ref}:{ex.line}"
        print(f"  {ex.kind:<12} {where}  {ex.note}")
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m engine.diagindex", description="The diagnostic index.")
    sub = parser.add_subparsers(dest="cmd", required=True)
    sub.add_parser("build", help=f"rebuild {INDEX_PATH.relative_to(REPO_ROOT)} from the sources")
    sub.add_parser("check", help="exit 1 if the committed index is stale")
    show = sub.add_parser("show", help="print the examples of one code")
    show.add_argument("code", help="E0382, 382, clippy::len_zero or len_zero")
    args = parser.parse_args(argv)
    try:
        if args.cmd == "build":
            index = build_index(REPO_ROOT)
            save(index)
            n = sum(len(e.examples) for e in index.entries.values())
            print(f"{len(index.entries)} codes, {n} examples: {INDEX_PATH.relative_to(REPO_ROOT)}")
            return 0
        if args.cmd == "check":
            fresh = encode(build_index(REPO_ROOT))
            if INDEX_PATH.is_file() and INDEX_PATH.read_bytes() == fresh:
                print("The diagnostic index is up to date.")
                return 0
            print("The diagnostic index is stale; run `python -m engine.diagindex build`.")
            return 1
        return _show(args.code)
    except DiagIndexError as e:
        print(str(e), file=sys.stderr)
        return e.exit_code


if __name__ == "__main__":
    try:
        sys.exit(main())
    except BrokenPipeError:  # `show E0425 | head`: the reader left; that is not an error
        sys.stdout = open(os.devnull, "w")  # noqa: SIM115 - keeps the interpreter's final flush quiet
        sys.exit(0)
