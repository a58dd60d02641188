"""The one-line bars every screen shares: the screen tabs on top, the mode line above the footer."""

from __future__ import annotations

from rich.text import Text
from textual.widgets import Static

from rusta_tui.keymaps import SCREENS
from rusta_tui.state import Session
from rusta_tui.views import counts


class NavBar(Static):
    """`1 Home 2 Code ...` with the current screen marked; plain ASCII so it draws anywhere."""

    def show_current(self, current: str) -> None:
        text = Text()
        for key, name, title in SCREENS:
            style = "reverse bold" if name == current else ""
            text.append(f" {key} {title} ", style=style)
        self.update(text)


class ModeBar(Static):
    """Mode, crate, branch, counts, and Rusta's last word (or the running probe): always in view."""

    def show_session(self, session: Session, branch: str) -> None:
        errors, warnings = counts(session.rows())
        text = Text(overflow="ellipsis")  # wraps to a second line at 80 columns (rusta.tcss)
        text.append(f" {session.mode.upper()} ", style="reverse bold")
        text.append(f" {session.root.name}")
        text.append(f" [{branch}] " if branch else " ", style="dim")
        if session.report is not None:
            text.append(f"{errors}E {warnings}W ", style="bold")
        probe = session.probe_state
        busy = [j for j in session.jobs.values() if j.group != "probe"]
        if busy:
            job = busy[0]
            text.append(f"| {job.name} {session.clock() - job.started:.1f}s (x cancels)", style="italic")
        elif probe.startswith("checking"):
            text.append(f"| {probe}", style="italic")
        elif session.last_message:
            text.append(f"| {session.last_message}")
        elif session.probe_elapsed_s is not None and probe == "done":
            text.append(f"| checked in {session.probe_elapsed_s:.1f}s")
        else:
            text.append(f"| {probe}")
        self.update(text)
