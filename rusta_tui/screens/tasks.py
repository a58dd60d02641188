"""Tasks: each task's Say -> Explain -> Do -> Undo -> Reflect, read from the DevLog."""

from __future__ import annotations

import time
from typing import Any

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.message import Message
from textual.widgets import Static

from rusta_tui import backends
from rusta_tui.errors import Unavailable
from rusta_tui.screens.base import RustaScreen
from rusta_tui.views import STAGES, is_loop_task, stage_of, timeline


class DevLogLoaded(Message):
    def __init__(self, entries: tuple[Any, ...], note: str) -> None:
        super().__init__()
        self.entries = entries
        self.note = note


class DevLogScreenBase(RustaScreen):
    """Screens that read the DevLog: they load it in a thread worker whenever they come into view."""

    entries: tuple[Any, ...] = ()
    note: str = "Loading the DevLog."

    def refresh_view(self) -> None:
        super().refresh_view()
        self.load_devlog()

    @work(thread=True, exclusive=True, group="devlog-read", exit_on_error=False)
    def load_devlog(self) -> None:
        try:
            entries = backends.devlog_entries(self.session.root)
            self.post_message(DevLogLoaded(entries, "" if entries else "The DevLog is empty."))
        except Unavailable as e:
            self.post_message(DevLogLoaded((), str(e)))
        except Exception as e:  # a damaged or locked log must not take the app down
            self.post_message(DevLogLoaded((), f"The DevLog cannot be read: {e}"))

    def on_dev_log_loaded(self, message: DevLogLoaded) -> None:
        self.entries = message.entries
        self.note = message.note
        self.draw_entries()

    def draw_entries(self) -> None:
        raise NotImplementedError


class TasksScreen(DevLogScreenBase):
    NAME = "tasks"

    def compose_body(self) -> ComposeResult:
        with VerticalScroll(id="tasks-scroll", classes="panel") as scroll:
            scroll.border_title = "Tasks: Say > Explain > Do > Undo > Reflect"
            yield Static(id="timeline")

    def draw_entries(self) -> None:
        out = Text()
        s = self.session
        if s.recovered:
            out.append(f"Interrupted and recovered: {s.recovery_note}\n\n", style="bold yellow")
        tasks = timeline(self.entries)
        loops = [(t, items) for t, items in tasks if is_loop_task(items)]
        ops = [(t, items) for t, items in tasks if not is_loop_task(items)]
        if not tasks:
            out.append(self.note or "No tasks recorded yet.", style="italic")
        for _task, items in loops:
            done = {stage_of(e) for e in items}
            open_ = not any(e.kind == "reflection" for e in items)
            out.append(items[0].summary or "task", style="bold")
            out.append("  (open)\n" if open_ else "\n", style="yellow")
            out.append("  ")
            for stage in STAGES:
                mark = f"[{stage}]" if stage in done else f" {stage} "
                out.append(mark, style="bold green" if stage in done else "dim")
                out.append(" ")
            out.append("\n")
            for e in items[1:]:
                out.append(f"  {_stamp(e.ts)} {stage_of(e):<7} {e.summary}\n")
            out.append("\n")
        if ops:
            out.append("Patch operations\n", style="bold")
            for _task, items in ops:
                out.append(f"  {_stamp(items[0].ts)} {items[0].summary}\n")
        self.query_one("#timeline", Static).update(out)


def _stamp(ts: float) -> str:
    return time.strftime("%H:%M:%S", time.localtime(ts))
