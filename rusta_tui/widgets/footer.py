"""The footer that fits: at any width it shows whole keys, never a key cut in half.

Textual's Footer lays every shown binding in one row and cuts what does not fit (the Tests screen's
pair-mode footer lost `q Quit` and drew `palettet` at 80 columns). This one leaves keys out from the
right, the order's last first, while `? Help` (which lists every key) and `q Quit` always stay: a
screen's own keys come first in the order, so they are the last to go.
"""

from __future__ import annotations

from textual import events
from textual.app import ComposeResult
from textual.widget import Widget
from textual.widgets import Footer
from textual.widgets._footer import FooterKey

KEPT = frozenset({"quit", "help"})  # always shown: a way out, and the list of every key
PALETTE = len("^p palette") + 2  # the docked palette key: its left border and a column to spare


def key_width(key: FooterKey) -> int:
    """Columns one compact key takes: `k Description` and its right margin."""
    return len(key.key_display) + (1 + len(key.description) if key.description else 0) + 1


def fitting(keys: list[FooterKey], width: int) -> list[FooterKey]:
    """The keys to show in `width` columns: all of them when they fit, else the kept ones and, from
    the left, as many of the others as fit beside them."""
    docked = [k for k in keys if k.has_class("-command-palette")]
    row = [k for k in keys if not k.has_class("-command-palette")]
    room = width - (PALETTE if docked else 0)
    if sum(key_width(k) for k in row) <= room:
        return keys
    room -= sum(key_width(k) for k in row if k.action in KEPT)
    shown: list[FooterKey] = []
    for k in row:
        if k.action in KEPT:
            shown.append(k)
        elif key_width(k) <= room:
            room -= key_width(k)
            shown.append(k)
        else:
            room = -1  # keep the order: nothing after the first key that does not fit
    return [*shown, *docked]


class FitFooter(Footer):
    _width = 0

    def compose(self) -> ComposeResult:
        made: list[Widget] = list(super().compose())
        if not all(isinstance(w, FooterKey) for w in made):  # a binding group: shown as Textual lays it
            yield from made
            return
        keys = [w for w in made if isinstance(w, FooterKey)]
        self._width = self.size.width or self.app.size.width
        yield from fitting(keys, self._width)

    def on_resize(self, event: events.Resize) -> None:
        if event.size.width != self._width and self._bindings_ready:
            self.call_after_refresh(self.recompose)
