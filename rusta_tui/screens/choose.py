"""Choose a fix: the green fixes the repair found for one story, each with its diff, best first.

`rusta fix --alternatives N` asks "Which one? [1-N, default 1]"; this is the same question with
every patch on screen before it lands. A number picks, Enter takes Rusta's first choice, Esc keeps
the code as it is. The pane scrolls (Up/Down, PageUp/PageDown) at 80x24.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from rich.console import Group, RenderableType
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.screen import ModalScreen
from textual.widgets import Static

from rusta_tui import difftext
from rusta_tui.widgets.panes import Pane

if TYPE_CHECKING:
    from engine.repair.types import Alternative

MAX_SHOWN = 9  # one key each


def choices_text(key: str, alternatives: tuple[Alternative, ...]) -> RenderableType:
    """Each alternative's number, description, family and verdict, then its diff."""
    parts: list[RenderableType] = []
    for i, a in enumerate(alternatives[:MAX_SHOWN], 1):
        head = Text()
        head.append(f"{i}. ", style="bold reverse" if i == 1 else "bold")
        head.append(a.description, style="bold")
        head.append(f"  ({a.family}, {a.verdict})", style="dim")
        parts += [head, difftext.render(a.diff, context=1), Text("")]
    return Group(*parts)


class ChooseFixScreen(ModalScreen[int | None]):
    """Dismissed with the index picked (0 = Rusta's first choice), or None to keep the code as it is."""

    BINDINGS: ClassVar[list[BindingType]] = [
        *(Binding(str(n), f"pick({n - 1})", str(n), show=False) for n in range(1, MAX_SHOWN + 1)),
        Binding("enter", "pick(0)", "Take 1"),
        Binding("escape", "pick(-1)", "Keep as it is"),
    ]

    def __init__(self, key: str, alternatives: tuple[Alternative, ...]) -> None:
        super().__init__()
        self.key = key
        self.alternatives = alternatives

    def compose(self) -> ComposeResult:
        n = min(len(self.alternatives), MAX_SHOWN)
        yield Static(
            f"{n} green fixes for {self.key}, best first. 1-{n} applies one, Enter takes 1, "
            "Esc keeps the code as it is.",
            id="choose-title",
        )
        pane = Pane(id="choices", classes="panel")
        pane.border_title = "Choose a fix"
        yield pane

    def on_mount(self) -> None:
        pane = self.query_one("#choices", Pane)
        pane.set_body(choices_text(self.key, self.alternatives))
        pane.focus()

    def action_pick(self, index: int) -> None:
        """A number with no fix behind it does nothing (and does not fall through to the tabs)."""
        if index >= min(len(self.alternatives), MAX_SHOWN):
            self.app.bell()
            return
        self.dismiss(index if index >= 0 else None)
