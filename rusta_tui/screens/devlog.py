"""DevLog viewer: every record, searchable, filtered by kind."""

from __future__ import annotations

import json
import time
from typing import TYPE_CHECKING, ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal
from textual.widgets import DataTable, Input, Select, Static

from rusta_tui.screens.tasks import DevLogScreenBase
from rusta_tui.views import filter_entries

if TYPE_CHECKING:
    from diary.types import Entry

KIND_CHOICES = ("all", "intent", "action", "validation", "reflection", "note")


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
        table: DataTable[str] = DataTable(id="devlog-table", cursor_type="row")
        table.border_title = "DevLog"
        yield table
        yield Static(id="devlog-detail", classes="panel")

    def on_mount(self) -> None:
        self.query_one("#devlog-table", DataTable).add_columns("Time", "Kind", "Task", "Summary")
        super().on_mount()
        self.query_one("#devlog-table", DataTable).focus()

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
            self.query_one("#devlog-detail", Static).update(detail(shown[event.cursor_row]))

    def _shown(self) -> list[Entry]:
        kind = str(self.query_one("#devlog-kind", Select).value)
        return filter_entries(self.entries, kind, self.query_one("#devlog-search", Input).value)

    def draw_entries(self) -> None:
        shown = self._shown()
        table = self.query_one("#devlog-table", DataTable)
        table.clear()
        for e in shown:
            stamp = time.strftime("%m-%d %H:%M:%S", time.localtime(e.ts))
            table.add_row(stamp, e.kind, (e.task or "")[-8:], e.summary or repr(e.payload)[:60])
        table.border_subtitle = self.note or f"{len(shown)} of {len(self.entries)} records"
        self.query_one("#devlog-detail", Static).update(detail(shown[0]) if shown else "")


def detail(entry: Entry) -> Text:
    """One record in full: id, task, what it settles, and every payload field on its own line."""
    t = Text(no_wrap=True, overflow="ellipsis")
    t.append(f"{entry.id} {entry.kind}", style="bold")
    if entry.settles:
        t.append(f"  settles {entry.settles}")
    for key, value in entry.payload.items():
        t.append(f"\n{key}: ", style="bold")
        t.append(json.dumps(value, ensure_ascii=False) if not isinstance(value, str) else value)
    return t
