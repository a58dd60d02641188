"""`rusta tui [PATH]`: open the full-screen app on a crate (bare `rusta` does the same on `.`)."""

from __future__ import annotations

import argparse
from pathlib import Path


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("path", nargs="?", default=".", help="the crate (or a file inside it); default: .")
    parser.add_argument("--mode", choices=("study", "pair", "silent"), help="start in this mode")
    parser.add_argument("--no-watch", action="store_true", help="do not re-check on save")
    parser.add_argument("--ascii", action="store_true", help="draw boxes with ASCII only")


def run(args: argparse.Namespace) -> int:
    import msgspec

    from rusta_tui import settings as settings_io
    from rusta_tui.app import RustaApp
    from toolbelt.crate import find_crate_root, read_manifest

    root = find_crate_root(Path(args.path))
    read_manifest(root)
    settings = settings_io.load(root)
    if args.mode:
        settings = msgspec.structs.replace(settings, mode=args.mode)
    app = RustaApp(
        root, settings=settings, watch=False if args.no_watch else None, ascii=True if args.ascii else None
    )
    app.run()
    where = _shown(root)
    print(f"Rusta closed. Every step is in the DevLog: {invocation()} diary --root {where} list")
    return int(app.return_code or 0)


def _shown(path: Path) -> str:
    """A path as the user would type it here: relative to the current folder when inside it."""
    try:
        return path.resolve().relative_to(Path.cwd().resolve()).as_posix() or "."
    except ValueError:
        return str(path)


def invocation() -> str:
    """How to run `rusta` from here: `rusta` when it is on PATH, else the venv's script by its path.

    `make run` installs into `.venv` without activating it, so a bare `rusta` would not be found.
    """
    import shutil
    import sys

    script = Path(sys.executable).with_name("rusta")
    found = shutil.which("rusta")
    if found and (not script.exists() or Path(found).resolve() == script.resolve()):
        return "rusta"
    return _shown(script) if script.exists() else f"{sys.executable} -m rusta_tui.cli.main"
