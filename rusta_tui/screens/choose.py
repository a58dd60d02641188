"""Choose a fix: what `f` found for one story, each fix with its diff, best first, read before it lands.

`rusta fix` shows its fix and asks "Apply?" (or "Which one? [1-N, default 1]"); this is the same
question with every patch on screen, one fix or several. A number picks, Enter takes Rusta's first
choice, Esc keeps the code as it is. The pane scrolls (Up/Down, PageUp/PageDown) at 80x24.

Enter is "do what Rusta recommends", so it obeys `rusta fix --yes`'s Confidence gate: when the head
rates her first choice below the threshold, the screen says so and Enter does not apply it; the
fix's number still does, the user's explicit choice (as a fix confirmed at the CLI's prompt is).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar, NamedTuple

from rich.console import Group, RenderableType
from rich.text import Text
from textual import events
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.screen import ModalScreen
from textual.widgets import Static

from rusta_tui import difftext
from rusta_tui.widgets.panes import Pane

if TYPE_CHECKING:
    from engine.repair.types import ApplyDecision

MAX_SHOWN = 9  # one key each


class Choice(NamedTuple):
    """One fix as the screen shows it: a green alternative, or a partial fix's whole patch."""

    description: str
    note: str  # family and verdict, or what a partial fix leaves
    diff: str


def choices_text(choices: tuple[Choice, ...]) -> RenderableType:
    """Each fix's number, description and note, then its diff with the changed columns marked."""
    parts: list[RenderableType] = []
    for i, c in enumerate(choices[:MAX_SHOWN], 1):
        head = Text()
        head.append(f"{i}. ", style="bold reverse" if i == 1 else "bold")
        head.append(c.description, style="bold")
        head.append(f"  ({c.note})", style="dim")
        parts += [head, difftext.render(c.diff, context=1), Text("")]
    return Group(*parts)


def held_back(decision: ApplyDecision) -> bool:
    """The gate holds Rusta's first choice back: a rated fix below the threshold."""
    return not decision.apply and decision.confidence is not None


def title(key: str, n: int, decision: ApplyDecision) -> str:
    """What is on screen and which keys answer, for one fix or several."""
    keep = "Esc keeps the code as it is."
    if n == 1:
        take = "1 applies it anyway" if held_back(decision) else "Enter (or 1) applies it"
        return f"Rusta's fix for {key}, green in a scratch copy. {take}, {keep}"
    take = "" if held_back(decision) else ", Enter takes 1"
    return f"{n} green fixes for {key}, best first. 1-{n} applies one{take}, {keep}"


def confidence_line(n: int, decision: ApplyDecision) -> str:
    """The Confidence head's word on Rusta's first choice, with both percentages; empty when no head
    rated it (no weights shipped, heads off): then nothing is claimed."""
    c, t = decision.confidence, decision.threshold
    if c is None or t is None:
        return ""
    from engine.repair.headorder import percents

    pc, pt = percents(c, t)
    which = "this fix" if n == 1 else "fix 1"
    if held_back(decision):
        return (
            f"Rusta would not apply {which} on her own: only {pc} likely the fix a developer would "
            f"write, below her bar of {pt}. Read it; {'1' if n == 1 else 'its number'} applies it anyway."
        )
    return f"{which.capitalize()}: {pc} likely the fix a developer would write (Rusta's bar: {pt})."


class ChooseFixScreen(ModalScreen[int | None]):
    """Dismissed with the index picked (0 = Rusta's first choice), or None to keep the code as it is."""

    BINDINGS: ClassVar[list[BindingType]] = [
        *(Binding(str(n), f"pick({n - 1})", str(n), show=False) for n in range(1, MAX_SHOWN + 1)),
        Binding("enter", "take", "Take 1"),
        Binding("escape", "pick(-1)", "Keep as it is"),
    ]

    def __init__(self, key: str, choices: tuple[Choice, ...], decision: ApplyDecision) -> None:
        super().__init__()
        self.key = key
        self.choices = choices
        self.decision = decision

    def compose(self) -> ComposeResult:
        n = min(len(self.choices), MAX_SHOWN)
        yield Static(title(self.key, n, self.decision), id="choose-title")
        said = confidence_line(n, self.decision)
        line = Static(said, id="choose-confidence", classes="held" if held_back(self.decision) else "")
        line.display = bool(said)
        yield line
        pane = Pane(id="choices", classes="panel")
        pane.border_title = "Choose a fix" if n > 1 else "The fix, before it lands"
        yield pane

    def on_mount(self) -> None:
        pane = self.query_one("#choices", Pane)
        pane.set_body(choices_text(self.choices))
        pane.focus()

    def action_take(self) -> None:
        """Enter: Rusta's first choice, unless the Confidence gate holds it back; then it says how to
        apply it anyway, so the key is never silent."""
        if held_back(self.decision):
            self.notify(
                "Rusta would not apply it on her own; 1 applies it anyway, Esc keeps the code.",
                severity="warning",
            )
            return
        self.dismiss(0)

    def keys_said(self) -> str:
        n = min(len(self.choices), MAX_SHOWN)
        numbers = "1" if n == 1 else f"1-{n}"
        enter = "" if held_back(self.decision) else ", Enter takes 1"
        return f"Here {numbers} applies{enter}, Esc keeps the code; arrows and PageUp/PageDown scroll."

    def on_key(self, event: events.Key) -> None:
        """The app's keys are off while the choice is open (`RustaApp.check_action`); one of them, or
        any other key with no meaning here, answers with the keys that have one instead of nothing."""
        if event.is_printable and event.key not in self.active_bindings:  # the bound ones answer themselves
            event.stop()
            self.notify(self.keys_said(), severity="warning", timeout=4)

    def action_pick(self, index: int) -> None:
        """A number with no fix behind it is answered (and does not fall through to the tabs)."""
        if index >= min(len(self.choices), MAX_SHOWN):
            self.app.bell()
            self.notify(self.keys_said(), severity="warning", timeout=4)
            return
        self.dismiss(index if index >= 0 else None)
