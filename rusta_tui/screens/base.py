"""The frame every tab shares: screen tabs on top, the body, the mode line and the footer."""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar, cast

from textual.app import ComposeResult
from textual.screen import Screen
from textual.widgets import Static

from rusta_tui.widgets.bars import ModeBar, NavBar
from rusta_tui.widgets.footer import FitFooter

if TYPE_CHECKING:
    from rusta_tui.app import RustaApp
    from rusta_tui.state import Session


class RustaScreen(Screen[None]):
    NAME: ClassVar[str] = ""

    @property
    def rusta(self) -> RustaApp:
        return cast("RustaApp", self.app)

    @property
    def session(self) -> Session:
        return self.rusta.session

    def compose(self) -> ComposeResult:
        yield NavBar(id="nav")
        yield from self.compose_body()
        yield ModeBar(id="modebar")
        # compact: at 80 columns every key of pair mode fits; where a screen's own keys do not, the
        # footer leaves keys out from the right and keeps ? Help and q Quit (widgets/footer.py)
        yield FitFooter(show_command_palette=not self.rusta.ascii, compact=True)  # its separator is Unicode

    def compose_body(self) -> ComposeResult:
        yield from ()

    def on_mount(self) -> None:
        if self.rusta.ascii:
            self.add_class("-ascii")
            # Select's arrows are Unicode triangles
            for arrow in self.query(".down-arrow, .up-arrow").results(Static):
                arrow.update("v" if arrow.has_class("down-arrow") else "^")
        self.refresh_view()

    def on_screen_resume(self) -> None:
        self.refresh_view()

    def refresh_view(self) -> None:
        """Redraw from the Session. A key can arrive between `switch_mode` and the new screen's
        compose; until its widgets exist there is nothing to draw, and on_mount draws it then."""
        if not self.query(ModeBar):
            return
        self.query_one(NavBar).show_current(self.NAME)
        self.query_one(ModeBar).show_session(self.session, self.rusta.branch)
        self.draw()

    def draw(self) -> None:
        """Draw the body from the Session; each screen implements it."""
