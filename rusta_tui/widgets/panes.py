"""A pane: a bordered box whose content scrolls inside it, from the keyboard once Tab focuses it.

The border and the scrollbar belong to the scrolling widget itself, so the scrollbar is drawn inside
the box and the top border never scrolls away with the text (a bordered Static inside a scroll
container does both wrong). Content wider than the pane scrolls sideways instead of being cut.
"""

from __future__ import annotations

from rich.console import RenderableType
from textual.app import ComposeResult
from textual.containers import ScrollableContainer
from textual.visual import VisualType
from textual.widgets import Static


class Pane(ScrollableContainer):
    """Up/Down, PageUp/PageDown, Home/End and Left/Right scroll it while it has focus."""

    def compose(self) -> ComposeResult:
        yield Static(classes="pane-body")

    @property
    def body(self) -> Static:
        return self.query_one(".pane-body", Static)

    @property
    def content(self) -> VisualType:
        """What the pane shows, as given to `show`: tests read it like a Static's."""
        return self.body.content

    _shown: object = None
    renderable: RenderableType = ""  # what `set_body` was last given, for a reader of its words

    def set_body(self, renderable: RenderableType, key: object = None) -> bool:
        """Show `renderable`; True when it is new (another `key`), and the pane went back to the top.

        A redraw of the same thing (`key` unchanged: a check finished, a job ended) keeps where
        the user scrolled to.
        """
        self.body.update(renderable)
        self.renderable = renderable
        if key is not None and key == self._shown:
            return False
        self._shown = key
        self.scroll_to(0, 0, animate=False, immediate=True)
        return True

    def reveal(
        self, line: int, start: int = 0, end: int = 0, *, margin: int = 2, center: bool = True
    ) -> None:
        """After the next layout, scroll so that `line` (0-based) and columns `start`..`end` are in
        view: `line` in the middle (`center`), else second from the top so the line above shows; no
        sideways scroll when the columns fit, else `start` a third of the way in, with what follows."""

        def go() -> None:
            height = self.scrollable_content_region.height
            width = self.scrollable_content_region.width
            above = max(0, (height - 1) // 2) if center else 1
            y = max(0, line - above)
            x = 0 if end + margin <= width else max(0, start - width // 3)
            self.scroll_to(x, y, animate=False, immediate=True)

        self.call_after_refresh(go)
