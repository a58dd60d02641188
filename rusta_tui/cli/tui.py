"""`rusta tui [PATH]`: open the full-screen app on a crate (bare `rusta` does the same on `.`).

The app takes the selection `rusta check` and `rusta explain` take (`-p`, `-F`, `--all-features`,
`--no-default-features`, `--lib`/`--tests`/`--all-targets`), parsed by the same code, so a workspace
member with errors of its own no longer fills Home when the user works on another, and a
feature-gated mistake can be seen at all.
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import TYPE_CHECKING

from rusta_tui.cli.argtypes import add_selection_arguments, selection_from_args

if TYPE_CHECKING:
    from rusta_tui.app import RustaApp


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "path", nargs="?", default=".", help="the crate, a workspace member or a file inside it; default: ."
    )
    parser.add_argument("--mode", choices=("study", "pair", "silent"), help="start in this mode")
    parser.add_argument("--no-watch", action="store_true", help="do not re-check on save")
    parser.add_argument("--ascii", action="store_true", help="draw boxes with ASCII only")
    add_selection_arguments(parser)


def make_app(args: argparse.Namespace) -> RustaApp:
    """The app as the command line chose it. A PATH inside a workspace member opens the workspace
    (where rustc's file names start, as for `rusta explain`) with `-p` that member."""
    import msgspec

    from rusta_tui import settings as settings_io
    from rusta_tui.app import RustaApp
    from toolbelt.cargo_workspace import project_root
    from toolbelt.crate import read_manifest

    root = project_root(Path(args.path))
    read_manifest(root)
    selection = selection_from_args(args)
    settings = settings_io.load(root)
    if args.mode:
        settings = msgspec.structs.replace(settings, mode=args.mode)
    return RustaApp(
        root,
        settings=settings,
        watch=False if args.no_watch else None,
        ascii=True if args.ascii else None,
        selection=selection,
    )


def run(args: argparse.Namespace) -> int:
    app = make_app(args)
    root = app.session.root
    app.run()
    where = _shown(root)
    print(f"Rusta closed. Every step is in the DevLog: {invocation()} diary list {where}")
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
