"""Probe cycles: watchfiles sees a save, a debounced check runs in a thread, a newer save cancels it.

The watcher is an async worker on the event loop; the check is a thread worker with a cancel
Event handed to `run_check`, so a superseded cargo is killed, not just ignored. Results come back
as messages tagged with a generation; the handler drops any that a newer probe replaced.
"""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import TYPE_CHECKING

import msgspec
from textual import work
from textual.message import Message

from rusta_tui.messages import (
    OptionsChecked,
    OptionsDone,
    ProbeCancelled,
    ProbeFinished,
    ProbeStarted,
    SourcesChanged,
)
from toolbelt.cargo_run import run_check
from toolbelt.types import CheckReport

if TYPE_CHECKING:
    from engine.explain.types import Explanation
    from rusta_tui.state import Session

WATCHED_SUFFIXES = (".rs", ".toml")


def relevant_changes(root: Path, changes: Iterable[tuple[object, str]]) -> tuple[str, ...]:
    """Saves that can change cargo's answer: Rust sources and manifests, never target/ or .rusta/."""
    out = []
    for _, raw in changes:
        path = Path(raw)
        try:
            rel = path.resolve().relative_to(root.resolve())
        except ValueError:
            continue
        if rel.parts and rel.parts[0] in ("target", ".rusta", ".git"):
            continue
        if path.suffix in WATCHED_SUFFIXES:
            out.append(rel.as_posix())
    return tuple(sorted(set(out)))


class ProbeMixin:
    """Mixed into RustaApp: the watcher and probe workers and the handle on the running probe."""

    session: Session
    # the app's own, declared for the type checker: these handlers run on the app
    post_message: Callable[[Message], bool]
    _redraw_modebar: Callable[[], None]
    _probe_cancel: threading.Event | None = None
    _watch_stop: asyncio.Event | None = None

    def start_probe(self, reason: str) -> None:
        """Cancel the running check (kill its cargo) and start a fresh one."""
        if self._probe_cancel is not None:
            self._probe_cancel.set()  # the options check of the old report stops with it
        cancel = threading.Event()
        self._probe_cancel = cancel
        self.session.generation += 1
        gen = self.session.generation
        job = self.session.start_job(f"cargo {self.session.settings.check_tool}", "probe", reason)
        job.cancel = cancel
        self.session.probe_state = f"checking ({reason})"  # at once: the key or the save has an answer
        self.run_probe(gen, reason, cancel)
        self._redraw_modebar()

    @work(thread=True, exclusive=True, group="probe", exit_on_error=False)
    def run_probe(self, generation: int, reason: str, cancel: threading.Event) -> None:
        post = self.post_message
        post(ProbeStarted(generation, reason))
        clock = self.session.clock
        t0 = clock()
        tool = self.session.settings.check_tool
        try:
            targets = self.session.settings.check_targets  # the crate's default target set (Settings)
            chosen = msgspec.structs.replace(self.session.selection, check_default=targets)
            report = run_check(self.session.root, tool=tool, cancel=cancel, selection=chosen)
        except Exception as e:  # a manifest broken by a save: say it on Home, keep watching
            sentence = str(e) if getattr(e, "user_facing", False) else f"{type(e).__name__}: {e}"
            report = CheckReport(
                crate_root=str(self.session.root), tool=tool, status="error", message=sentence
            )
        if cancel.is_set():
            post(ProbeCancelled(generation))
            return
        from engine.explain.api import explain_report
        from engine.explain.trimpaths import rustc_report

        note = ""
        try:
            # the rows quote rustc's words as the stories do (Vec<String>, not clippy's full paths),
            # so each row is one of its story's diagnostics
            report = rustc_report(report)
            explanations = explain_report(report)
        except Exception as e:  # an explain bug must not hide the compiler's diagnostics
            explanations, note = (), f"Explain failed on this report: {type(e).__name__}: {e}"
        post(ProbeFinished(generation, report, explanations, note, clock() - t0))

    def start_options_check(self, generation: int, explanations: tuple[Explanation, ...]) -> None:
        """Check every story's code options in explain's scratch copy, in the background; each story
        shows "compiles" as its answer arrives, failed options disappear, and a newer check stops it."""
        if not explanations or self._probe_cancel is None:
            return
        # Not a job in the mode line: it runs behind the user's work, and the answer to r or a save
        # stays readable there. A newer check, x on it, or quitting stops it (the probe's Event).
        self.check_options(generation, explanations, self._probe_cancel)

    @work(thread=True, exclusive=True, group="options", exit_on_error=False)
    def check_options(
        self, generation: int, explanations: tuple[Explanation, ...], cancel: threading.Event
    ) -> None:
        from engine.explain.validation import validate

        post = self.post_message
        failed: dict[int, tuple] = {}

        def on_story(i: int, e: Explanation) -> None:
            post(OptionsChecked(generation, i, e, failed.pop(i, ())))

        try:
            run = validate(
                explanations,
                self.session.root,
                cancel=cancel,
                on_failed=failed.__setitem__,
                on_story=on_story,
            )
        except Exception as e:  # the options stay "not checked yet", which is true
            sentence = str(e) if getattr(e, "user_facing", False) else f"{type(e).__name__}: {e}"
            post(OptionsDone(generation, 0, 0, f"Options not checked: {sentence}"))
            return
        note = "Options check cancelled." if cancel.is_set() else ""
        post(OptionsDone(generation, run.checked, run.cached, note))

    @work(exclusive=True, group="watch", exit_on_error=False)
    async def watch_sources(self) -> None:
        from watchfiles import awatch

        root = self.session.root
        self._watch_stop = asyncio.Event()
        async for changes in awatch(
            root,
            watch_filter=lambda _change, path: bool(relevant_changes(root, {(None, path)})),
            debounce=self.session.settings.debounce_ms,
            step=50,
            stop_event=self._watch_stop,
            recursive=True,
        ):
            paths = relevant_changes(root, changes)
            if paths:
                self.post_message(SourcesChanged(paths))

    def stop_watching(self) -> None:
        if self._watch_stop is not None:
            self._watch_stop.set()
