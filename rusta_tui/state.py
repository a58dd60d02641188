"""What the app knows right now: the crate, the last report, the selection, patches in flight, jobs.

One object owned by the app and mutated only by its message handlers, so screens are views of it.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from rusta_tui.patchstatus import PatchStatus
from rusta_tui.types import JobView, Mode, Settings
from rusta_tui.views import DiagRow, explanation_for, in_story_order, rows
from toolbelt.selection import Selection
from toolbelt.types import CheckReport

if TYPE_CHECKING:
    from diary.types import Entry
    from engine.explain.types import Explanation, PatchOption
    from engine.patching.types import Patch, Validation
    from engine.repair.flow import Proposal


@dataclass
class Job:
    name: str
    group: str
    started: float
    cancel: threading.Event
    detail: str = ""

    def view(self) -> JobView:
        return JobView(name=self.name, group=self.group, started=self.started, detail=self.detail)


@dataclass
class PatchState:
    """One story's patch through the loop: validated, applied, undone. `patch` is what was validated:
    the story's own patch (v) or the repair's fix for it (f), which may differ. `a` lands `patch`,
    never another one; when `chosen` names the user's pick in Choose a fix, `v` validates it again."""

    key: str
    patch: Patch | None = None
    validation: Validation | None = None
    ok: bool = False
    status: PatchStatus = "ready"
    summary: str = ""
    applied: bool = False
    patch_id: str = ""  # the landed patch's id in the patch path's history
    chosen: str = ""  # "fix 2: <description>": the user's pick among f's green fixes


@dataclass
class Session:
    root: Path
    settings: Settings
    clock: Callable[[], float] = time.monotonic
    # what every cargo run covers (`rusta tui -p NAME -F LIST --lib`...), as for `rusta check`
    selection: Selection = field(default_factory=Selection)
    report: CheckReport | None = None
    explanations: tuple[Explanation, ...] = ()
    explain_note: str = ""
    selected: int = 0
    why_open: bool = False
    probe_state: str = "not run yet"
    probe_elapsed_s: float | None = None
    generation: int = 0
    patches: dict[str, PatchState] = field(default_factory=dict)
    jobs: dict[str, Job] = field(default_factory=dict)
    last_message: str = ""
    said_at: float = float("-inf")  # when Rusta last spoke (the session clock)
    focus_key: str | None = None  # the fix the user last validated: selection follows it across checks
    recovered: tuple[Entry, ...] = ()
    recovery_note: str = ""
    choosing: Proposal | None = None  # green fixes found by f, waiting for the user's pick
    choosing_key: str = ""
    # story index -> its options that failed validation (why, in the compiler's words), once answered
    failed_fixes: dict[int, tuple[PatchOption, ...]] = field(default_factory=dict)

    @property
    def mode(self) -> Mode:
        return self.settings.mode

    _rows: tuple[object, object, list[DiagRow]] | None = field(
        default=None, init=False, repr=False, compare=False
    )

    def rows(self) -> list[DiagRow]:
        """The table's rows in story order; worked out again only when the report or stories change."""
        cached = self._rows
        if cached is None or cached[0] is not self.report or cached[1] is not self.explanations:
            cached = self._rows = (
                self.report,
                self.explanations,
                in_story_order(rows(self.report), self.explanations),
            )
        return list(cached[2])

    def selected_row(self) -> DiagRow | None:
        all_rows = self.rows()
        if not all_rows:
            return None
        return all_rows[min(self.selected, len(all_rows) - 1)]

    def selected_explanation(self) -> Explanation | None:
        return explanation_for(self.selected_row(), self.explanations)

    def start_job(self, name: str, group: str, detail: str = "") -> Job:
        job = Job(name=name, group=group, started=self.clock(), cancel=threading.Event(), detail=detail)
        self.jobs[group] = job
        return job

    def end_job(self, group: str) -> None:
        self.jobs.pop(group, None)
