"""The consent a slower patch needs before Do lands it: y accepts the slowdown, n or esc declines."""

from __future__ import annotations

from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.screen import ModalScreen
from textual.widgets import Static


class ConsentScreen(ModalScreen[bool]):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("y", "answer(True)", "Apply anyway"),
        Binding("n", "answer(False)", "Leave it"),
        Binding("escape", "answer(False)", "Leave it", show=False),
    ]

    def __init__(self, question: str) -> None:
        super().__init__()
        self.question = question

    def compose(self) -> ComposeResult:
        body = Static(self.question, id="consent-body", classes="panel", markup=False)
        body.border_title = "Slower than allowed (y / n)"
        yield body

    def action_answer(self, yes: bool) -> None:
        self.dismiss(yes)
