"""DevLog viewer: every record, searchable, filtered by kind.

Newest first, as the issue asks of a log read to see what just happened: the view opens on the
newest record (the top row, selected), and End jumps back to it from anywhere; Home goes to the
oldest, at the bottom. The keys are named for the log's ends in time (`less`'s G, `tail`), not for
rows on the screen. The summary column takes the table's width and no more, so the table never scrolls
sideways (End once scrolled it to the tail of the longest summary, Time and Kind out of view). The
selected record is shown in full in a pane that scrolls; the two share the height the layout leaves.
"""

from __future__ import annotations

import json
import time
from typing import TYPE_CHECKING, ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal
from textual.widgets import DataTable, Input, Select

from rusta_tui.screens.tasks import DevLogScreenBase
from rusta_tui.views import filter_entries
from rusta_tui.widgets.panes import Pane

if TYPE_CHECKING:
    from diary.types import Entry

KIND_CHOICES = ("all", "intent", "action", "validation", "reflection", "note")
FIXED_COLUMNS = (("Time", 14), ("Kind", 10), ("Task", 8))  # the summary takes what they leave


class LogTable(DataTable[str]):
    """End goes to the newest record (the top row), Home to the oldest (the bottom row). A
    DataTable's own Home and End scroll sideways, which showed the tail of the longest summary and
    nothing else."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("home", "oldest", "Oldest", show=False),
        Binding("end", "newest", "Newest", show=False),
    ]

    def action_oldest(self) -> None:
        self.move_cursor(row=max(0, self.row_count - 1), column=0)
        self.scroll_x = 0

    def action_newest(self) -> None:
        self.move_cursor(row=0, column=0)
        self.scroll_x = 0


class DevLogScreen(DevLogScreenBase):
    NAME = "devlog"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("slash", "search", "Search"),
        Binding("k", "cycle_kind", "Kind"),
        Binding("escape", "leave_input", "Leave", show=False),
    ]

    def compose_body(self) -> ComposeResult:
        with Horizontal(id="devlog-filters"):
            yield Input(placeholder="search (/)", id="devlog-search")
            yield Select([(k, k) for k in KIND_CHOICES], value="all", allow_blank=False, id="devlog-kind")
        table = LogTable(id="devlog-table", cursor_type="row")
        table.border_title = "DevLog"
        yield table
        yield Pane(id="devlog-detail", classes="panel")

    _summary_width = 0

    def on_mount(self) -> None:
        super().on_mount()
        self.query_one("#devlog-table", DataTable).focus()

    def summary_width(self) -> int:
        """Columns left for the summary: inside the border, less the fixed columns, each column's
        padding (one each side) and the vertical scrollbar a long log shows."""
        table = self.query_one("#devlog-table", DataTable)
        inside = (table.size.width or self.app.size.width) - 2
        used = sum(w for _, w in FIXED_COLUMNS) + 2 * (len(FIXED_COLUMNS) + 1)
        return max(10, inside - used - table.styles.scrollbar_size_vertical)

    def on_resize(self) -> None:
        if self.entries and self.summary_width() != self._summary_width:
            self.call_after_refresh(self.draw_entries)

    def action_search(self) -> None:
        self.query_one("#devlog-search", Input).focus()

    def action_leave_input(self) -> None:
        self.query_one("#devlog-table", DataTable).focus()

    def action_cycle_kind(self) -> None:
        sel = self.query_one("#devlog-kind", Select)
        i = KIND_CHOICES.index(str(sel.value)) if sel.value in KIND_CHOICES else 0
        sel.value = KIND_CHOICES[(i + 1) % len(KIND_CHOICES)]

    def on_input_changed(self, _: Input.Changed) -> None:
        self.draw_entries()

    def on_input_submitted(self, _: Input.Submitted) -> None:
        self.action_leave_input()

    def on_select_changed(self, _: Select.Changed) -> None:
        self.draw_entries()

    def on_data_table_row_highlighted(self, event: DataTable.RowHighlighted) -> None:
        shown = self._shown()
        if 0 <= event.cursor_row < len(shown):
            entry = shown[event.cursor_row]
            self.query_one("#devlog-detail", Pane).set_body(detail(entry), key=entry.id)

    def _shown(self) -> list[Entry]:
        """The records the filters keep, newest first (the table's row order)."""
        kind = str(self.query_one("#devlog-kind", Select).value)
        return filter_entries(self.entries, kind, self.query_one("#devlog-search", Input).value)[::-1]

    def draw_entries(self) -> None:
        shown = self._shown()
        table = self.query_one("#devlog-table", DataTable)
        table.clear(columns=True)
        self._summary_width = width = self.summary_width()
        for label, w in (*FIXED_COLUMNS, ("Summary", width)):
            table.add_column(label, width=w)
        for e in shown:
            stamp = time.strftime("%m-%d %H:%M:%S", time.localtime(e.ts))
            summary = Text(e.summary or repr(e.payload), no_wrap=True, overflow="ellipsis")
            summary.truncate(width, overflow="ellipsis")
            table.add_row(stamp, e.kind, (e.task or "")[-8:], summary)
        table.border_subtitle = (
            self.note or f"{len(shown)} of {len(self.entries)} records, newest first; End: newest"
        )
        pane = self.query_one("#devlog-detail", Pane)
        pane.set_body(detail(shown[0]) if shown else "", key=shown[0].id if shown else None)
        if shown:
            table.move_cursor(row=0, column=0, animate=False, scroll=True)


def detail(entry: Entry) -> Text:
    """One record in full: id, task, what it settles, and every payload field on its own line."""
    t = Text()  # wraps: the pane scrolls, so every field can be read whole
    t.append(f"{entry.id} {entry.kind}", style="bold")
    if entry.settles:
        t.append(f"  settles {entry.settles}")
    for key, value in entry.payload.items():
        t.append(f"\n{key}: ", style="bold")
        t.append(json.dumps(value, ensure_ascii=False) if not isinstance(value, str) else value)
    return t
