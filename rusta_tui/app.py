"""The Rusta app: screens as modes, keys from the mode's keymap, state in one Session.

Kept small on purpose: probe cycles live in `probe.py`, the Do/Undo workers in `patchflow.py`, the
fix key in `fixflow.py`, what each tab shows in `screens/`. Handlers here update the Session and redraw the current screen.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, ClassVar

from textual.app import App
from textual.binding import BindingType
from textual.notifications import SeverityLevel

from rusta_tui import keymaps
from rusta_tui import settings as settings_io
from rusta_tui.commands import RustaCommands
from rusta_tui.crate_facts import git_branch, network_isolation, sandbox_state
from rusta_tui.editor import EditorMixin
from rusta_tui.errors import SettingsError
from rusta_tui.fixflow import FixFlowMixin
from rusta_tui.memoryflow import MemoryMixin
from rusta_tui.messages import (
    OptionsChecked,
    OptionsDone,
    PatchApplied,
    PatchCancelled,
    PatchFailed,
    PatchUndone,
    PatchValidated,
    ProbeCancelled,
    ProbeFinished,
    ProbeStarted,
    ProofStarted,
    Recovered,
    SourcesChanged,
)
from rusta_tui.patchflow import PatchFlowMixin, Tasks
from rusta_tui.probe import ProbeMixin
from rusta_tui.screens.base import RustaScreen
from rusta_tui.screens.choose import ChooseFixScreen
from rusta_tui.screens.code import CodeScreen
from rusta_tui.screens.devlog import DevLogScreen
from rusta_tui.screens.help import HelpScreen
from rusta_tui.screens.home import HomeScreen
from rusta_tui.screens.review import ReviewScreen, export_bundle
from rusta_tui.screens.settings import SettingsScreen
from rusta_tui.screens.status import StatusScreen
from rusta_tui.screens.tasks import TasksScreen
from rusta_tui.screens.tests import TestsScreen
from rusta_tui.state import PatchState, Session
from rusta_tui.terminal import pick_theme, supports_unicode
from rusta_tui.types import Mode, Settings
from rusta_tui.views import DiagRow, counts, explanation_for, patch_key
from rusta_tui.widgets.bars import ModeBar
from toolbelt import selection as cargo_selection
from toolbelt.selection import Selection
from toolbelt.toolchain import follow_pin

COVERING = "covering "  # the reason of a check the Settings screen's package/features/targets asked for

if TYPE_CHECKING:
    from engine.explain.types import Explanation

OWN_WRITE_WINDOW_S = 2.0  # debounce (150 ms) plus watchfiles' latency, with a wide margin


PROOF_STAGES = {
    "fuzz": "fuzzing old and new on generated inputs",
    "bench": "timing old and new",
    "miri": "running the tests under miri",
}


class RustaApp(ProbeMixin, PatchFlowMixin, FixFlowMixin, MemoryMixin, EditorMixin, App[None]):
    TITLE = "Rusta"
    CSS_PATH = "rusta.tcss"
    MODES: ClassVar = {
        "home": HomeScreen,
        "code": CodeScreen,
        "tasks": TasksScreen,
        "review": ReviewScreen,
        "devlog": DevLogScreen,
        "settings": SettingsScreen,
        "status": StatusScreen,
        "tests": TestsScreen,  # T on Home and Code
    }
    DEFAULT_MODE: ClassVar[str] = "home"
    COMMANDS: ClassVar = App.COMMANDS | {RustaCommands}
    BINDINGS: ClassVar[list[BindingType]] = keymaps.bindings()

    def __init__(
        self,
        root: Path,
        *,
        settings: Settings | None = None,
        watch: bool | None = None,
        clock: Callable[[], float] = time.monotonic,
        ascii: bool | None = None,
        theme: str | None = None,
        recover: bool = True,
        network: Callable[[], str] = network_isolation,
        selection: Selection | None = None,
    ) -> None:
        super().__init__()
        settings = settings or settings_io.load(root)
        sel = settings_io.chosen_selection(selection or Selection(), settings)
        self.session = Session(root=root, settings=settings, clock=clock, selection=sel)
        # the packages, features and targets chosen (`rusta tui -p NAME -F LIST ...`) are what every
        # cargo run covers: the check and the tests take the Session's, and the layers between (the
        # repair's trials, the sandbox's validation) read the process's, as under `rusta check`
        cargo_selection.use(sel)
        # the crate is chosen here, once: its pin (here or in a folder above) decides the compiler of
        # every cargo run of the session, its sandbox and scratch copies included, as for the CLI
        follow_pin(root)
        s = self.session.settings
        if ascii is None:
            ascii = s.ascii if s.ascii is not None else not supports_unicode()
        self.ascii = ascii
        self.watching = s.watch if watch is None else watch
        self._theme = theme or pick_theme(s.theme)
        self._recover = recover
        self.branch = git_branch(root)
        self.tasks = Tasks(root)
        self.sandbox = sandbox_state(root)
        self.network_probe = network  # tests pin it: namespaces differ between machines

    # --- life cycle -----------------------------------------------------------------------------

    def on_mount(self) -> None:
        self.theme = self._theme
        self.sub_title = f"{self.session.root.name} - {self.session.mode} mode"
        self.start_probe("start")
        if self.watching:
            self.watch_sources()
        if self._recover:
            self.recover_on_start()
        self.sync_memory("start")  # incremental: only the DevLog records since the last sync
        self.set_interval(0.5, self._tick)

    def _tick(self) -> None:
        """Elapsed times of running jobs move while they run; nothing redraws when nothing runs."""
        if self.session.jobs:
            self._redraw_modebar()

    def _redraw_modebar(self) -> None:
        """Only the mode line; a screen still composing has none yet, and draws itself on mount."""
        if not self.screen_stack:
            return
        for bar in self.screen.query(ModeBar):
            bar.show_session(self.session, self.branch)

    def on_unmount(self) -> None:
        self.stop_watching()
        if self._probe_cancel is not None:
            self._probe_cancel.set()  # the background options check too
        for job in self.session.jobs.values():
            job.cancel.set()
        self.tasks.close_all()
        self._decline_pending_choice("left without a choice when the session ended")
        self.sync_memory_now()  # after each session, what it taught is in memory

    async def action_quit(self) -> None:
        """Reflect the open tasks before leaving, so the next start finds nothing interrupted."""
        self.tasks.close_all()
        self._decline_pending_choice("left without a choice when the session ended")
        self.exit()

    def refresh_active(self) -> None:
        """Redraw the current tab; a worker's message can arrive after the last screen is gone (on exit)."""
        if self.screen_stack and isinstance(self.screen, RustaScreen):
            self.screen.refresh_view()

    def say(self, text: str, *, severity: SeverityLevel = "information") -> None:
        """Rusta's one line to the user, in the mode bar; warnings and errors also pop up.

        At 80x24 stacked toasts would hide the code, so information stays in the mode bar.
        """
        self.session.last_message = text
        self.session.said_at = self.session.clock()
        if severity != "information":
            self.notify(text, severity=severity, timeout=10 if severity == "error" else 5)
        self._redraw_modebar()  # a warning stays readable there after its pop-up goes

    # --- keys -----------------------------------------------------------------------------------

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if isinstance(self.screen, ChooseFixScreen) and action not in ("quit", "cancel_jobs"):
            return False  # the choice is open: its keys answer, not the tabs' or another fix's
        return keymaps.allowed(self.session.mode, action, parameters)

    def action_unavailable(self, key: str) -> None:
        self.say(keymaps.not_here(self.session.mode, key))

    def action_goto(self, name: str) -> None:
        if self.current_mode != name:
            self.switch_mode(name)

    def action_help(self) -> None:
        self.push_screen(HelpScreen(self.session.mode))

    def action_cycle_mode(self) -> None:
        self.choose_mode(keymaps.next_mode(self.session.mode))

    def choose_mode(self, mode: Mode) -> None:
        """The user's choice of mode (m, the palette), remembered in `.rusta/settings.toml`."""
        self.set_mode(mode)
        try:
            settings_io.save(self.session.root, self.session.settings)
        except SettingsError as e:
            self.say(f"{self.session.mode} mode for now; not remembered: {e}", severity="warning")
            return
        self.say(f"{self.session.mode.capitalize()} mode; the next launch starts in it too.")

    def set_mode(self, mode: Mode) -> None:
        import msgspec

        self.session.settings = msgspec.structs.replace(self.session.settings, mode=mode)
        self.sub_title = f"{self.session.root.name} - {mode} mode"
        self.refresh_bindings()
        self.refresh_active()

    def action_recheck(self) -> None:
        self.start_probe("asked")

    def action_cancel_jobs(self) -> None:
        if not self.session.jobs:
            self.say("Nothing is running.")
            return
        names = ", ".join(j.name for j in self.session.jobs.values())
        for job in self.session.jobs.values():
            job.cancel.set()
        self.tasks.close_all()
        self.workers.cancel_group(self, "options")
        for group in list(self.session.jobs):
            self.workers.cancel_group(self, group)
        self.session.jobs.clear()
        self.session.probe_state = "cancelled"
        self.refresh_active()
        self.say(f"Cancelled: {names}.")

    def select_row(self, index: int) -> None:
        if index != self.session.selected:
            self.session.selected = max(0, index)
            self.session.focus_key = None  # the user moved on
            if not isinstance(self.screen, HomeScreen):
                self.refresh_active()

    def action_select(self, delta: int) -> None:
        n = len(self.session.rows())
        if n:
            self.session.selected = (self.session.selected + delta) % n
            self.session.focus_key = None
            self.refresh_active()

    def action_toggle_why(self) -> None:
        self.session.why_open = not self.session.why_open
        if self.current_mode != "code":
            self.action_goto("code")
        else:
            self.refresh_active()

    def action_export(self) -> None:
        picked = self._selected_patch()
        if picked is not None:
            key, expl, state = picked
            patch = state.patch if state is not None and state.patch is not None else expl.patch
            if patch is None:  # _selected_patch said so already
                return
            path = export_bundle(self.session.root, key, patch.diff)
            self.say(f"Exported to {path.relative_to(self.session.root)}.")

    def save_settings(self, new: Settings) -> Path:
        path = settings_io.save(self.session.root, new)
        mode_changed = new.mode != self.session.mode
        old = self.session.settings
        watch_changed = new.watch != old.watch
        self.session.settings = new
        sel = self.session.selection
        chosen = (new.packages, new.features) != (sel.packages, sel.features)
        if chosen:  # every cargo run from now on covers what was chosen, as `rusta tui -p -F` would
            sel = settings_io.chosen_selection(Selection(targets=sel.targets), new)
            self.session.selection = sel
            cargo_selection.use(sel)
        if chosen or (new.check_targets, new.check_tool) != (old.check_targets, old.check_tool):
            # the report on screen answers the old question; the new one's answer names what it covers
            self.start_probe(f"{COVERING}{sel.describe() or 'the default packages'}")
        if watch_changed:
            self.watching = new.watch
            if new.watch:
                self.watch_sources()
            else:
                self.stop_watching()
                self.workers.cancel_group(self, "watch")
        if mode_changed:
            self.set_mode(new.mode)
        return path

    # --- messages from workers ------------------------------------------------------------------

    def on_sources_changed(self, message: SourcesChanged) -> None:
        self.start_probe("saved " + ", ".join(message.paths[:3]))

    def on_probe_started(self, message: ProbeStarted) -> None:
        if message.generation == self.session.generation:
            self.session.probe_state = f"checking ({message.reason})"
            self.refresh_active()

    def on_probe_cancelled(self, message: ProbeCancelled) -> None:
        if message.generation == self.session.generation:
            self.session.end_job("probe")
            self.session.probe_state = "cancelled"
            self.refresh_active()

    def on_probe_finished(self, message: ProbeFinished) -> None:
        s = self.session
        if message.generation != s.generation:
            return  # a newer save replaced this probe
        job = s.jobs.get("probe")
        reason = job.detail if job is not None else ""
        # A save right after Rusta spoke is usually her own write (apply, undo): keep what she said.
        own_write = job is not None and s.said_at >= job.started - OWN_WRITE_WINDOW_S
        s.end_job("probe")
        before = s.selected_row()
        s.report = message.report
        s.explanations = message.explanations
        s.failed_fixes = {}
        s.explain_note = message.explain_note
        s.probe_state = "done" if message.report.status in ("clean", "diagnostics") else message.report.status
        s.probe_elapsed_s = message.elapsed_s
        all_rows = s.rows()
        # Stay on the fix being worked on (it comes back after an undo), else on the same diagnostic.
        focus = [
            i for i, r in enumerate(all_rows) if s.focus_key and _key_of(r, s.explanations) == s.focus_key
        ]
        same = [
            i
            for i, r in enumerate(all_rows)
            if before and (r.file, r.code, r.message) == (before.file, before.code, before.message)
        ]
        picked = focus or same
        s.selected = picked[0] if picked else min(s.selected, max(0, len(all_rows) - 1))
        if (
            reason == "asked"
            or reason.startswith(COVERING)
            or (reason.startswith("saved ") and not own_write)
        ):
            # the answer to r or a save, said even when nothing changed, so the old line does not return
            errors, warnings = counts(all_rows)
            if s.probe_state != "done":
                verdict = (message.report.message or f"cargo {s.probe_state}.").rstrip(".")
            else:
                verdict = f"{errors} error(s), {warnings} warning(s)" if all_rows else "clean"
            s.last_message = f"Checked ({reason}) in {message.elapsed_s:.1f}s: {verdict}."
        self.refresh_active()
        self.start_options_check(message.generation, message.explanations)

    def on_options_checked(self, message: OptionsChecked) -> None:
        s = self.session
        if message.generation == s.generation and message.index < len(s.explanations):
            stories = list(s.explanations)
            stories[message.index] = message.explanation
            s.explanations = tuple(stories)
            s.failed_fixes[message.index] = message.failed
            self.refresh_active()

    def on_options_done(self, message: OptionsDone) -> None:
        if message.generation != self.session.generation:
            return
        if message.note:
            self.say(message.note)
        self.refresh_active()

    def on_proof_started(self, message: ProofStarted) -> None:
        """A proof of a running validation started: its job says so in the Status screen."""
        job = self.session.jobs.get(message.group)
        if job is not None:
            base = job.detail.split(" · ", 1)[-1] if " · " in job.detail else job.detail
            job.detail = (
                f"{PROOF_STAGES.get(message.stage, message.stage)} · {base}"
                if base
                else PROOF_STAGES.get(message.stage, message.stage)
            )
            self.refresh_active()

    def on_patch_validated(self, message: PatchValidated) -> None:
        self.sandbox = sandbox_state(self.session.root)
        job = self.session.jobs.get("patch")
        if job is not None and not (job.name == "fix" and message.ok):
            self.session.end_job("patch")
        self.session.patches[message.key] = PatchState(
            key=message.key,
            patch=message.patch,
            validation=message.validation,
            ok=message.ok,
            status=message.status,
            summary=message.summary,
            chosen=message.chosen,
        )
        if message.status == "not_run":
            self.say(message.summary)
        else:
            self.say(
                f"Validated {message.status}: {message.summary}",
                severity="information" if message.ok else "warning",
            )
        self.refresh_active()

    def on_patch_cancelled(self, message: PatchCancelled) -> None:
        job = self.session.jobs.get("patch")
        if job is not None and job.detail == message.key:
            self.session.end_job("patch")
        before = self.session.patches.get(message.key)
        pick = before if before is not None and before.chosen else None  # stays: v validates it again
        self.session.patches[message.key] = PatchState(
            key=message.key,
            status="cancelled",
            summary=message.state,
            patch=pick.patch if pick is not None else None,
            chosen=pick.chosen if pick is not None else "",
        )
        self.say(message.said or message.state)
        self.refresh_active()

    def on_patch_applied(self, message: PatchApplied) -> None:
        self.session.end_job("patch")
        state = self.session.patches.get(message.key)
        if state is None:
            state = self.session.patches[message.key] = PatchState(key=message.key, ok=True, status="green")
        state.applied, state.patch_id = True, message.patch_id
        if message.patch is not None:
            state.patch = message.patch
        self.say(f"Applied {message.key}. u undoes it.")
        self.start_probe("after apply")
        self.refresh_active()

    def on_patch_undone(self, message: PatchUndone) -> None:
        self.session.end_job("patch")
        for state in self.session.patches.values():
            if state.applied and not message.redo:
                state.applied = False
        self.say(("Redone: " if message.redo else "Undone: ") + message.summary)
        self.start_probe("after redo" if message.redo else "after undo")
        self.refresh_active()

    def on_patch_failed(self, message: PatchFailed) -> None:
        self.session.end_job("patch")
        self.say(message.sentence, severity="error")
        self.refresh_active()

    def on_recovered(self, message: Recovered) -> None:
        s = self.session
        s.recovered = message.intents
        parts = []
        if message.restored:
            parts.append(message.restored)
        if message.intents:
            titles = ", ".join(i.summary or i.id for i in message.intents[:3])
            parts.append(f"{len(message.intents)} interrupted task(s): {titles}")
        s.recovery_note = " ".join(parts) or message.note or "nothing to recover."
        if message.intents or message.restored:
            self.say(f"Recovered on start: {s.recovery_note}", severity="warning")
        if message.blocked:
            s.recovery_note = message.blocked
            self.say(message.blocked, severity="error")
        self.refresh_active()


def _key_of(row: DiagRow, explanations: tuple[Explanation, ...]) -> str | None:
    expl = explanation_for(row, explanations)
    return patch_key(expl) if expl is not None else None
