"""`?`: every key of the current mode, common keys first."""

from __future__ import annotations

from typing import ClassVar

from rich.table import Table
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.screen import ModalScreen
from textual.widgets import Static

from rusta_tui.keymaps import help_rows
from rusta_tui.types import Mode


class HelpScreen(ModalScreen[None]):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "close", "Close"),
        Binding("question_mark", "close", "Close"),
        Binding("q", "close", "Close", show=False),
    ]

    def __init__(self, mode: Mode) -> None:
        super().__init__()
        self.mode = mode

    def compose(self) -> ComposeResult:
        table = Table(box=None, show_header=False, padding=(0, 1))
        rows = help_rows(self.mode)
        half = (len(rows) + 1) // 2
        for left, right in zip(rows[:half], [*rows[half:], ("", "")], strict=False):
            table.add_row(left[0], left[1], "  " + right[0], right[1])
        body = Static(table, id="help-body", classes="panel")
        body.border_title = f"Keys in {self.mode} mode (esc closes)"
        yield body

    def action_close(self) -> None:
        self.dismiss(None)
