"""The source around a diagnostic and the diff of its patch, syntax-highlighted with rich."""

from __future__ import annotations

import textwrap
from pathlib import Path

from rich.syntax import Syntax
from rich.text import Text
from textual.widgets import Static

from rusta_tui.views import DiagRow

CONTEXT_LINES = 6
# An ANSI theme: uses the terminal's own 16 colours, so it reads the same in tmux and over SSH.
SYNTAX_THEME = "ansi_dark"


def source_window(root: Path, row: DiagRow, ascii: bool = False) -> Syntax | Text:
    path = root / row.file
    try:
        code = path.read_text(encoding="utf-8", errors="replace")
    except OSError as e:
        return Text(f"{row.file} cannot be read: {e.strerror}.", style="italic")
    lines = code.splitlines()
    first = max(1, row.line - CONTEXT_LINES)
    last = min(len(lines), row.line + CONTEXT_LINES)
    # The panel is narrow at 80 columns: drop the window's common indentation to buy columns back.
    window = textwrap.dedent("\n".join(lines[first - 1 : last]))
    syntax = Syntax(
        window,
        "rust",
        theme=SYNTAX_THEME,
        line_numbers=True,
        start_line=first,
        highlight_lines=set() if ascii else {row.line},  # rich's marker is a Unicode arrow
        word_wrap=False,
    )
    if ascii:
        at = row.line - first + 1
        syntax.stylize_range("reverse", (at, 0), (at + 1, 0))
    return syntax


class SourceView(Static):
    def show(self, root: Path, row: DiagRow | None, ascii: bool = False) -> None:
        if row is None:
            self.update(Text("No diagnostic selected.", style="italic"))
            return
        self.update(source_window(root, row, ascii))


class DiffView(Static):
    def show(self, diff: str | None) -> None:
        if not diff:
            self.update(Text("No patch suggested for this diagnostic.", style="italic"))
            return
        self.update(Syntax(diff, "diff", theme=SYNTAX_THEME, word_wrap=False))
