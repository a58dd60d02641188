"""The source around a diagnostic and the diff of its patch, each in a pane that scrolls.

The source keeps its real indentation (no dedent: a window cut from inside an `impl` must not look
like top-level code); the pane scrolls sideways instead, to the error's column when it lies past
the pane's edge. The columns rustc points at are marked, so the column is seen, not counted.
"""

from __future__ import annotations

from pathlib import Path

from rich.syntax import Syntax
from rich.text import Text

from rusta_tui import difftext
from rusta_tui.views import DiagRow
from rusta_tui.widgets.panes import Pane

CONTEXT_LINES = 20  # the pane scrolls; the error line is brought into view
# An ANSI theme: uses the terminal's own 16 colours, so it reads the same in tmux and over SSH.
SYNTAX_THEME = "ansi_dark"
SPAN_STYLE = "reverse"  # the columns rustc's primary span covers


def source_window(root: Path, row: DiagRow, ascii: bool = False) -> tuple[Syntax | Text, int, int]:
    """The highlighted window, the error line's row in it (0-based) and the gutter's width."""
    path = root / row.file
    try:
        code = path.read_text(encoding="utf-8", errors="replace")
    except OSError as e:
        return Text(f"{row.file} cannot be read: {e.strerror}.", style="italic"), 0, 0
    lines = code.splitlines()
    first = max(1, row.line - CONTEXT_LINES)
    last = min(len(lines), row.line + CONTEXT_LINES)
    syntax = Syntax(
        "\n".join(lines[first - 1 : last]),
        "rust",
        theme=SYNTAX_THEME,
        line_numbers=True,
        start_line=first,
        highlight_lines=set() if ascii else {row.line},  # rich's marker is a Unicode arrow
        word_wrap=False,
    )
    at = row.line - first + 1  # rich counts the window's lines from 1
    if ascii:
        syntax.stylize_range("reverse", (at, 0), (at + 1, 0))
    span = row.diagnostic.primary
    if span is not None and span.line_start == row.line:
        end_line = min(span.line_end, last)
        end_col = span.column_end - 1 if span.line_end <= last else 0
        if (end_line, end_col) > (row.line, span.column_start - 1):
            style = "bold underline" if ascii else SPAN_STYLE
            syntax.stylize_range(style, (at, span.column_start - 1), (end_line - first + 1, end_col))
    gutter = len(str(last)) + 3  # the number, the marker's column, a space (rich's layout)
    return syntax, at - 1, gutter


class SourceView(Pane):
    def show(self, root: Path, row: DiagRow | None, ascii: bool = False) -> None:
        if row is None:
            self.set_body(Text("No diagnostic selected.", style="italic"))
            return
        renderable, at, gutter = source_window(root, row, ascii)
        code = renderable.code if isinstance(renderable, Syntax) else renderable.plain
        if not self.set_body(renderable, key=(row.file, row.line, row.column, code, ascii)):
            return
        span = row.diagnostic.primary
        end = span.column_end if span is not None and span.line_end == row.line else row.column + 1
        self.reveal(at, gutter + row.column - 1, gutter + max(end, row.column))


class DiffView(Pane):
    """A patch as a diff; `context` trims unchanged lines around each change (None keeps them all)."""

    def show(self, diff: str | None, *, context: int | None = None) -> None:
        if not diff:
            self.set_body(Text("No patch suggested for this diagnostic.", style="italic"))
            return
        if self.set_body(difftext.render(diff, context=context), key=(diff, context)):
            first = difftext.first_change(diff, context=context)
            self.reveal(first, center=False)  # the first change at the top, one line of context above
