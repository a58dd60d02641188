"""`o`: the user's own editor at the diagnostic's line and column.

Which editor: `$VISUAL`, then `$EDITOR` (a command line, split like a shell would). How to name the
position differs by editor; the ones that take a column get it, any other gets `+LINE`, the
convention vi, emacs, nano and most terminal editors share.
"""

from __future__ import annotations

import os
import shlex
import subprocess
from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING, cast

from textual.app import SuspendNotSupported

if TYPE_CHECKING:
    from rusta_tui.app import RustaApp

_VIM = {"vim", "nvim", "gvim", "mvim"}
_PLUS_LINE_COL = {"nano": ",", "emacs": ":", "emacsclient": ":", "kak": ":"}  # +LINE<sep>COL
_PATH_LINE_COL = {"hx", "helix", "micro", "subl", "zed", "gedit"}  # PATH:LINE:COL
_GOTO = {"code", "codium", "code-insiders", "cursor"}  # --goto PATH:LINE:COL


def editor_command(env: Mapping[str, str] | None = None) -> list[str]:
    """The user's editor as an argv prefix; empty when neither $VISUAL nor $EDITOR is set."""
    env = os.environ if env is None else env
    for name in ("VISUAL", "EDITOR"):
        value = env.get(name, "").strip()
        if value:
            return shlex.split(value)
    return []


def open_argv(editor: list[str], path: Path, line: int, column: int) -> list[str]:
    """The argv that opens `path` at `line`:`column` (both 1-based) in `editor`."""
    name = Path(editor[0]).name
    if name in _VIM:
        return [*editor, f"+call cursor({line}, {column})", str(path)]
    if name in _PLUS_LINE_COL:
        return [*editor, f"+{line}{_PLUS_LINE_COL[name]}{column}", str(path)]
    if name in _PATH_LINE_COL:
        return [*editor, f"{path}:{line}:{column}"]
    if name in _GOTO:
        return [*editor, "--goto", f"{path}:{line}:{column}"]
    return [*editor, f"+{line}", str(path)]  # vi, ed-likes, anything else: the +LINE convention


class EditorMixin:
    """Mixed into RustaApp: the `o` key."""

    def action_open_editor(self) -> None:
        """The user's editor at the selected diagnostic; the app steps aside until it exits."""
        app = cast("RustaApp", self)
        row = app.session.selected_row()
        if row is None:
            app.say("No diagnostic selected: nothing to open.")
            return
        where = f"{row.file}:{row.line}:{row.column}"
        editor = editor_command()
        if not editor:
            app.say(f"Set $EDITOR (or $VISUAL) and o opens {where} in it.", severity="warning")
            return
        argv = open_argv(editor, app.session.root / row.file, row.line, row.column)
        try:  # an editor is interactive: no timeout; it owns the terminal until it exits
            try:
                with app.suspend():
                    code = subprocess.run(argv, cwd=app.session.root, check=False).returncode
            except SuspendNotSupported:  # headless or web: no terminal to hand over
                done = subprocess.run(
                    argv, cwd=app.session.root, stdin=subprocess.DEVNULL, capture_output=True, check=False
                )
                code = done.returncode
        except OSError as e:
            app.say(f"{editor[0]} could not start ({e.strerror}); $EDITOR names it.", severity="error")
            return
        name = Path(editor[0]).name
        app.say(f"Opened {where} in {name}." if code == 0 else f"{name} exited with {code} after {where}.")
        if not app.watching:
            app.start_probe("asked")  # no watcher to see the save: check now
