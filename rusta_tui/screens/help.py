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
        table = Table(box=None, show_header=False, padding=(0, 2))
        for key, what in help_rows(self.mode):
            table.add_row(key, what)
        body = Static(table, id="help-body", classes="panel")
        body.border_title = f"Keys in {self.mode} mode (esc closes)"
        yield body

    def action_close(self) -> None:
        self.dismiss(None)
