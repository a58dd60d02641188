"""The Do and Undo steps in the app: validate a patch in a sandbox, apply it when green, undo, redo.

Each step is a thread worker in the "patch" group; the engine's patch path does the work and keeps
the invariants (sandbox, green before landing, undo for everything); the app only shows it.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Final, cast

from textual import work
from textual.message import Message

from rusta_tui.benchgate import bench_for, consent_question, with_skip
from rusta_tui.messages import (
    PatchApplied,
    PatchCancelled,
    PatchFailed,
    PatchUndone,
    PatchValidated,
    ProofStarted,
    Recovered,
)
from rusta_tui.patchstatus import VALIDATION_CANCELLED, judge, placeholder_sentence, placeholders
from rusta_tui.screens.consent import ConsentScreen
from rusta_tui.views import patch_key

if TYPE_CHECKING:
    from textual.app import App

    from diary.types import Entry
    from engine.explain.types import Explanation
    from engine.loop.machine import CoreLoop
    from engine.patching.types import OpRecord, Patch, Validation
    from rusta_tui.state import PatchState, Session


def sentence(action: str, exc: BaseException) -> str:
    """One line for the user: a package's own sentence as it is, anything else named as a failure."""
    if getattr(exc, "user_facing", False):
        return str(exc)
    return f"{action} failed: {type(exc).__name__}: {exc}"


def story_patch(expl: Explanation) -> Patch:
    """The story's suggested patch as the patch path's Patch, naming the diagnostic it addresses."""
    from engine.patching.types import DiagnosticRef, Patch

    assert expl.patch is not None
    p = expl.primary
    ref = DiagnosticRef(code=expl.code, message=expl.message, file=p.file, line=p.line)
    return Patch.new(expl.patch.diff, expl.summary or expl.message, addresses=(ref,))


_OPEN = ("said", "explained", "done", "undone")  # loop states a Reflect still has to settle


def slower(v: Validation | None) -> bool:
    """Red only for a slowdown past the allowance: what the user may consent to."""
    from engine.proofs.bench import slower_than_allowed

    return v is not None and not v.green and bool(slower_than_allowed(v))


def export_name(key: str) -> str:
    return re.sub(r"[^A-Za-z0-9._-]+", "-", key).strip("-") + ".patch"


class Tasks:
    """One core loop (Say -> Explain -> Do -> Undo -> Reflect) per fix the user works on.

    The loop writes the DevLog records, so the Tasks screen shows every fix as a task. Loops are
    only touched from patch workers, one at a time (the lock), never from the event loop.
    """

    def __init__(self, root: Path) -> None:
        self.root = root
        self.lock = threading.Lock()
        self.loops: dict[str, CoreLoop] = {}
        self.last_applied: str | None = None

    def for_fix(self, key: str, expl: Explanation, mode: str, chosen: str = "") -> CoreLoop:
        """The loop of this fix, opened (Say) and explained (Explain) on first use; its intent names
        the user's pick when they chose one of f's fixes."""
        from engine.loop.machine import CoreLoop

        loop = self.loops.get(key)
        if loop is None or loop.state in ("idle", "reflected"):
            self._close_others(key)
            loop = CoreLoop(self.root)
            where = f"{expl.code or expl.level} at {expl.primary.file}:{expl.primary.line}"
            loop.say(f"apply {chosen} for {where}" if chosen else f"fix {where}")
            self.loops[key] = loop
        if loop.state in ("said", "undone"):
            loop.explain((expl,), mode=mode)
        return loop

    def _close_others(self, key: str) -> None:
        """The user moved to another story: reflect the open ones now, and say that is why."""
        for other in [k for k in self.loops if k != key]:
            loop = self.loops.pop(other)
            try:
                if loop.state in _OPEN:
                    kept = "applied and kept" if loop.state == "done" else "left without a change"
                    loop.reflect(f"{other}: {kept}; switched stories to {key}")
            finally:
                loop.close()

    def close_all(self) -> None:
        """Reflect every open task on exit: what landed stays, and the DevLog says so."""
        with self.lock:
            for key, loop in self.loops.items():
                try:
                    if loop.state in _OPEN:
                        kept = "applied and kept" if loop.state == "done" else "left without a change"
                        loop.reflect(f"{key}: {kept} when the session ended")
                finally:
                    loop.close()
            self.loops.clear()


SHOWS_PATCH: Final = frozenset({"code", "review"})  # the screens whose panes show the patch `a` lands


class PatchFlowMixin:
    """Mixed into RustaApp: the keys and workers of Do and Undo (v, a, u, U).

    What `a` lands is the patch `v` (or f) validated and the Patch pane shows: the story's own
    patch, or the fix the user picked in Choose a fix. Never another one."""

    session: Session
    tasks: Tasks
    # the app's own, declared for the type checker: these handlers run on the app
    say: Callable[..., None]
    refresh_active: Callable[[], None]
    post_message: Callable[[Message], bool]
    current_mode: str
    action_goto: Callable[[str], None]

    def _selected_patch(self) -> tuple[str, Explanation, PatchState | None] | None:
        """The selected story, its key and where its patch stands; None (said) when it has no patch
        at all: neither its own nor one f found for it."""
        expl = self.session.selected_explanation()
        key = patch_key(expl) if expl is not None else ""
        state = self.session.patches.get(key)
        if expl is None or (expl.patch is None and (state is None or state.patch is None)):
            self.say("No fix to work with here: this diagnostic has no suggested patch.", severity="warning")
            return None
        return key, expl, state

    def action_validate(self) -> None:
        picked = self._selected_patch()
        if picked is None:
            return
        key, expl, state = picked
        if state is not None and state.chosen and state.patch is not None:
            patch, chosen = state.patch, state.chosen  # the user's pick, not the story's own patch
        elif placeholders(expl):
            self.say(placeholder_sentence(expl), severity="warning")
            return
        else:
            patch, chosen = story_patch(expl), ""
        self.session.focus_key = key
        job = self.session.start_job("validate patch", "patch", key)
        self.validate_patch(key, expl, patch, job.cancel, chosen)
        self.say(f"Validating {chosen or key} in a sandbox.")
        self.refresh_active()

    def action_apply(self) -> None:
        picked = self._selected_patch()
        if picked is None:
            return
        key, expl, state = picked
        if state is not None and state.status == "not_run":
            self.say(state.summary, severity="warning")
            return
        landing = (
            state is not None
            and not state.applied
            and state.patch is not None
            and (state.ok or slower(state.validation))
        )
        if landing and self.current_mode not in SHOWS_PATCH:
            # a patch is read before it lands: from a screen without it (Home, Tasks) a opens Code first
            self.action_goto("code")
            self.say(f"The patch for {key} is on screen; a applies it.")
            return
        if state is not None and not state.applied and state.patch is not None and slower(state.validation):
            self._ask_consent(key, expl, state)
            return
        if state is None or not state.ok or state.patch is None:
            self.say("Validate first (v): nothing lands until it is green.", severity="warning")
            return
        if state.applied:
            self.say("Already applied; u undoes it.")
            return
        self.session.start_job("apply patch", "patch", key)
        self.apply_patch(key, expl, state.patch, state.chosen)

    def _ask_consent(self, key: str, expl: Explanation, state: PatchState) -> None:
        """A slowdown past Settings' allowance is the one red Do may land, and only on the user's y
        (rusta fix --accept-slower's semantics); the DevLog records the consent with the timings."""
        from engine.proofs.bench import accept_slower, slower_than_allowed

        v, patch = state.validation, state.patch
        assert v is not None and patch is not None
        allowance = self.session.settings.bench_max_slowdown_pct / 100

        def answered(yes: bool | None) -> None:
            if not yes:
                self.say("Left as it was: the slowdown was not accepted.")
                return
            state.validation, state.ok, state.status = accept_slower(v, allowance), True, "green"
            state.summary = state.validation.reason
            consent = "; ".join(p.detail for p in slower_than_allowed(v))
            self.session.start_job("apply patch", "patch", key)
            self.apply_patch(key, expl, patch, state.chosen, consent)
            self.refresh_active()

        app = cast("App[None]", self)  # a mixin of RustaApp
        app.push_screen(ConsentScreen(consent_question(v, self.session.settings)), answered)

    def _post(self, message: Message) -> None:
        self.post_message(message)

    def action_undo(self) -> None:
        self.session.start_job("undo", "patch")
        self.undo_patch(False)

    def action_redo(self) -> None:
        self.session.start_job("redo", "patch")
        self.undo_patch(True)

    @work(thread=True, exclusive=True, group="patch", exit_on_error=False)
    def validate_patch(
        self, key: str, expl: Explanation, patch: Patch, cancel: threading.Event, chosen: str = ""
    ) -> None:
        """Validate the patch in the sandbox and show the verdict; nothing lands."""
        from engine.patching.api import validate
        from engine.proofs.collect import intent_for

        root = self.session.root
        try:
            with self.tasks.lock:
                self.tasks.for_fix(key, expl, self.session.mode, chosen)
            bench, skip = bench_for(root, patch, self.session.settings)
            # the proofs rusta review runs for a fix: check, tests, differential fuzzing, miri where it
            # applies, and rusta fix --bench's timing when a benchmark covers the code
            validation = validate(
                root,
                patch,
                cancel=cancel,
                fuzz=intent_for(expl.level),
                bench=bench,
                on_stage=lambda stage: self._post(ProofStarted("patch", stage)),
            )
            validation = with_skip(validation, skip)
        except Exception as e:
            self._post(
                PatchCancelled(key, VALIDATION_CANCELLED)
                if cancel.is_set()
                else PatchFailed("validate", sentence("Validation", e))
            )
            return
        if cancel.is_set():  # x killed cargo: the red it reports is the cancel, not the patch
            self._post(PatchCancelled(key, VALIDATION_CANCELLED))
            return
        status, summary = judge(validation, expl.level)
        self._post(PatchValidated(key, patch, validation, validation.green, summary, status, chosen))

    @work(thread=True, exclusive=True, group="patch", exit_on_error=False)
    def apply_patch(
        self, key: str, expl: Explanation, patch: Patch, chosen: str = "", consent: str = ""
    ) -> None:
        """The loop's Do with the validated patch: it validates again right before landing, so
        nothing red or stale lands, and the DevLog records the diff that did (and, when the user
        accepted a slowdown, the consent and the timings, before the landing)."""
        try:
            with self.tasks.lock:
                loop = self.tasks.for_fix(key, expl, self.session.mode, chosen)
                if consent:
                    summary = f"the user accepted a slowdown of {patch.id}: {consent}"
                    loop.log.append(
                        "note",
                        {"summary": summary, "op": "accept-slower", "patch_id": patch.id},
                        task=loop.task,
                    )
                result = loop.do(0, diff=patch.diff)
                if result.applied:
                    self.tasks.last_applied = key
        except Exception as e:
            self._post(PatchFailed("apply", sentence("Apply", e)))
            return
        if not result.applied:
            self._post(PatchFailed("apply", f"Not applied: {result.reason}"))
            return
        self._post(PatchApplied(key, result.patch_id, result.reason, patch))

    @work(thread=True, exclusive=True, group="patch", exit_on_error=False)
    def undo_patch(self, redo: bool = False) -> None:
        """Undo through the task's loop when it applied the last patch (Undo, then Reflect)."""
        from engine.patching import api as patching

        try:
            with self.tasks.lock:
                key = self.tasks.last_applied
                loop = self.tasks.loops.get(key) if key else None
                record: OpRecord | None = None
                if not redo and loop is not None and loop.state == "done":
                    patch_id = loop.last_patch_id
                    loop.undo()
                    loop.reflect(f"undid {patch_id}; the files are back as they were")
                    self.tasks.last_applied = None
                    summary = f"undid {patch_id}."
                else:
                    record = patching.redo(self.session.root) if redo else patching.undo(self.session.root)
                    summary = record.summary or ("redone." if redo else "undone.")
        except Exception as e:
            self._post(PatchFailed("redo" if redo else "undo", sentence("Redo" if redo else "Undo", e)))
            return
        self._post(PatchUndone(record, summary, redo=redo))

    @work(thread=True, exclusive=True, group="recover", exit_on_error=False)
    def recover_on_start(self) -> None:
        """Finish or roll back what a crash interrupted, then say what was found."""
        from diary.devlog import DevLog
        from engine.patching.api import recover
        from rusta_tui.crate_facts import unpatchable_reason

        root = self.session.root
        notes: list[str] = []
        intents: tuple[Entry, ...] = ()
        restored = ""
        try:
            restored = "; ".join(recover(root))
        except Exception as e:
            notes.append(sentence("Recovery", e))
        try:
            with DevLog.open(root, readonly=True) as log:  # reading never creates, repairs or locks
                intents = tuple(log.open_intents())
        except Exception as e:
            notes.append(sentence("Reading the DevLog", e))
        try:
            blocked = unpatchable_reason(root)
        except Exception as e:  # git missing or failing: the patch path will say so itself
            blocked = ""
            notes.append(sentence("Listing the crate's files", e))
        self._post(Recovered(intents, restored, " ".join(notes), blocked))
