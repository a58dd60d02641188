"""Tasks: each task's Say -> Explain -> Do -> Undo -> Reflect, read from the DevLog."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import TYPE_CHECKING, ClassVar

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.message import Message
from textual.widgets import Static

from rusta_tui.screens.base import RustaScreen
from rusta_tui.views import STAGES, is_loop_task, stage_of, timeline

if TYPE_CHECKING:
    from diary.types import Entry


class DevLogLoaded(Message):
    def __init__(self, entries: tuple[Entry, ...], note: str) -> None:
        super().__init__()
        self.entries = entries
        self.note = note


class InterruptedClosed(Message):
    def __init__(self, count: int, error: str) -> None:
        super().__init__()
        self.count = count
        self.error = error


class DevLogScreenBase(RustaScreen):
    """Screens that read the DevLog: they load it in a thread worker whenever they come into view."""

    entries: tuple[Entry, ...] = ()
    note: str = "Loading the DevLog."

    def draw(self) -> None:
        self.load_devlog()

    @work(thread=True, exclusive=True, group="devlog-read", exit_on_error=False)
    def load_devlog(self) -> None:
        from diary.devlog import DevLog

        try:
            with DevLog.open(self.session.root, readonly=True) as log:  # viewing creates nothing
                entries = tuple(log.entries())
            self.post_message(DevLogLoaded(entries, "" if entries else "The DevLog is empty."))
        except Exception as e:  # a damaged or locked log must not take the app down
            self.post_message(DevLogLoaded((), f"The DevLog cannot be read: {e}"))

    # Each screen draws the loaded entries its own way; declared here, defined by every subclass.
    draw_entries: Callable[[], None]

    def on_dev_log_loaded(self, message: DevLogLoaded) -> None:
        self.entries = message.entries
        self.note = message.note
        self.draw_entries()


class TasksScreen(DevLogScreenBase):
    NAME = "tasks"
    BINDINGS: ClassVar[list[BindingType]] = [Binding("c", "close_interrupted", "Close interrupted")]

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "close_interrupted":
            return bool(self.session.recovered)
        return True

    def action_close_interrupted(self) -> None:
        self.close_interrupted(self.session.recovered)

    @work(thread=True, exclusive=True, group="devlog-write", exit_on_error=False)
    def close_interrupted(self, intents: tuple[Entry, ...]) -> None:
        """Reflect each interrupted task, so it stops being reported on every start."""
        from diary.devlog import DevLog

        try:
            with DevLog.open(self.session.root) as log:
                for intent in intents:
                    log.append(
                        "reflection",
                        {
                            "summary": "closed after an interruption; recover checked the files",
                            "step": "reflect",
                        },
                        settles=intent.id,
                    )
            self.post_message(InterruptedClosed(len(intents), ""))
        except Exception as e:  # the log refused: say so, keep the tasks open
            self.post_message(InterruptedClosed(0, f"The DevLog refused the reflection: {e}"))

    def on_interrupted_closed(self, message: InterruptedClosed) -> None:
        if message.error:
            self.rusta.say(message.error, severity="error")
            return
        self.session.recovered = ()
        self.session.recovery_note = f"closed {message.count} interrupted task(s)."
        self.rusta.say(f"Closed {message.count} interrupted task(s).")
        self.refresh_bindings()
        self.refresh_view()

    def compose_body(self) -> ComposeResult:
        with VerticalScroll(id="tasks-scroll", classes="panel") as scroll:
            scroll.border_title = "Tasks: Say > Explain > Do > Undo > Reflect"
            yield Static(id="timeline")

    def draw_entries(self) -> None:
        out = Text()
        s = self.session
        if s.recovered:
            out.append(
                f"Interrupted and recovered: {s.recovery_note}\nc closes them.\n\n", style="bold yellow"
            )
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
