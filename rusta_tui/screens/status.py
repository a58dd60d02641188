"""Status: the repo, the branch, the sandbox, what cargo covers, and every running job with its elapsed time."""

from __future__ import annotations

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.message import Message
from textual.widgets import DataTable, Static

from rusta_tui.screens.base import RustaScreen
from toolbelt.selection import TARGET_FLAGS, Selection, Targets


class NetworkKnown(Message):
    def __init__(self, text: str) -> None:
        super().__init__()
        self.text = text


class StatusScreen(RustaScreen):
    NAME = "status"
    network = "checking"

    def compose_body(self) -> ComposeResult:
        yield Static(id="repo", classes="panel")
        table: DataTable[str] = DataTable(id="jobs", cursor_type="row")
        table.border_title = "Running jobs (x cancels all)"
        yield table

    def on_mount(self) -> None:
        self.query_one("#repo", Static).border_title = "Repository"
        self.query_one("#jobs", DataTable).add_columns("Job", "Elapsed", "Detail")
        self.set_interval(1.0, self._tick)
        self.check_network()
        super().on_mount()

    @work(thread=True, exclusive=True, group="network", exit_on_error=False)
    def check_network(self) -> None:
        try:
            text = self.rusta.network_probe()
        except Exception as e:  # shown, not raised: the patch path refuses on its own if it must
            text = f"unknown ({e})"
        self.post_message(NetworkKnown(text))

    def on_network_known(self, message: NetworkKnown) -> None:
        self.network = message.text
        self.refresh_view()

    def _tick(self) -> None:
        if self.is_current and self.session.jobs:
            self.refresh_view()

    def draw(self) -> None:
        s = self.session
        rusta = self.rusta
        validating = "validating" if "patch" in s.jobs else "idle"
        last = next((p for p in reversed(s.patches.values()) if p.validation is not None), None)
        text = Text()
        text.append("Crate    ", style="bold")
        text.append(f"{s.root.name}\n")
        text.append("Branch   ", style="bold")
        text.append(f"{rusta.branch}\n")
        text.append("Sandbox  ", style="bold")
        text.append(f"{validating}; last validation: {last.summary if last else 'none'}\n")
        text.append("         ")
        text.append(f"{rusta.sandbox}\n", style="dim")
        text.append("Network  ", style="bold")
        text.append(f"off in the sandbox: {self.network}\n")
        text.append("Probe    ", style="bold")
        text.append(
            f"{s.probe_state}; watch {'on' if rusta.watching else 'off'}, cargo {s.settings.check_tool}\n"
        )
        text.append("Covers   ", style="bold")
        text.append(f"{covers(s.selection, s.settings.check_targets)}\n")
        if s.recovery_note:
            text.append("Recovery ", style="bold")
            text.append(f"{s.recovery_note}\n")
        self.query_one("#repo", Static).update(text)
        table = self.query_one("#jobs", DataTable)
        table.clear()
        now = s.clock()
        for job in s.jobs.values():
            table.add_row(job.name, f"{now - job.started:.1f}s", job.detail)
        table.border_subtitle = "no jobs running" if not s.jobs else f"{len(s.jobs)} running"


def covers(sel: Selection, check_default: Targets | None) -> str:
    """What every cargo run of the session covers, in cargo's own flags, so that a clean Home on a
    workspace opened with `-p` reads as "this package is clean", not "the workspace is"."""
    targets = sel.targets or check_default or "all"
    check = " ".join(TARGET_FLAGS[targets]) or "cargo's default targets"
    chosen = " ".join(sel.package_args()) or "cargo's default packages and features"
    return f"{chosen}; the check: {check}"
