"""DevLog viewer: every record, searchable, filtered by kind."""

from __future__ import annotations

import time
from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal
from textual.widgets import DataTable, Input, Select

from rusta_tui.screens.tasks import DevLogScreenBase
from rusta_tui.views import filter_entries

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

    def draw_entries(self) -> None:
        kind = str(self.query_one("#devlog-kind", Select).value)
        needle = self.query_one("#devlog-search", Input).value
        shown = filter_entries(self.entries, kind, needle)
        table = self.query_one("#devlog-table", DataTable)
        table.clear()
        for e in shown:
            stamp = time.strftime("%m-%d %H:%M:%S", time.localtime(e.ts))
            table.add_row(stamp, e.kind, (e.task or "")[-8:], e.summary or repr(e.payload)[:60])
        table.border_subtitle = self.note or f"{len(shown)} of {len(self.entries)} records"
