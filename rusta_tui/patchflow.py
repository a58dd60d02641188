"""The Do and Undo steps in the app: validate a patch in a sandbox, apply it when green, undo, redo.

Each step is a thread worker in the "patch" group; the engine's patch path does the work and keeps
the invariants (sandbox, green before landing, undo for everything); the app only shows it.
"""

from __future__ import annotations

import inspect
import re
import threading
from pathlib import Path
from typing import TYPE_CHECKING, Any

from textual import work

from rusta_tui import backends
from rusta_tui.errors import Unavailable
from rusta_tui.messages import (
    PatchApplied,
    PatchCancelled,
    PatchFailed,
    PatchUndone,
    PatchValidated,
    Recovered,
)
from rusta_tui.patchstatus import judge

if TYPE_CHECKING:
    from rusta_tui.state import Session


def validation_ok(validation: Any) -> bool:
    """Green means the patch path said so; anything it did not call green is red."""
    ok = getattr(validation, "green", getattr(validation, "ok", None))
    if isinstance(ok, bool):
        return ok
    return str(getattr(validation, "status", "")).lower() in ("green", "ok", "passed")


def describe(obj: Any, fallback: str) -> str:
    for attr in ("summary", "message", "reason"):
        value = getattr(obj, attr, None)
        if isinstance(value, str) and value:
            return value
    return fallback


def _sentence(action: str, exc: BaseException) -> str:
    if getattr(exc, "user_facing", False):
        return str(exc)
    return f"{action} failed: {type(exc).__name__}: {exc}"


def _call(fn: Any, *args: Any, cancel: threading.Event) -> Any:
    """Pass the cancel Event where the patch path takes one, so x stops a sandbox build."""
    try:
        takes_cancel = "cancel" in inspect.signature(fn).parameters
    except (TypeError, ValueError):
        takes_cancel = False
    return fn(*args, cancel=cancel) if takes_cancel else fn(*args)


_OPEN = ("said", "explained", "done", "undone")  # loop states a Reflect still has to settle


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
        self.loops: dict[str, Any] = {}
        self.last_applied: str | None = None

    def for_fix(self, key: str, expl: Any, mode: str) -> Any:
        """The loop of this fix, opened (Say) and explained (Explain) on first use."""
        loop = self.loops.get(key)
        if loop is None or loop.state in ("idle", "reflected"):
            self._close_others(key)
            loop = backends.core_loop(self.root)
            loop.say(f"fix {expl.code or expl.level} at {expl.primary.file}:{expl.primary.line}")
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


class PatchFlowMixin:
    """Mixed into RustaApp: the Do/Undo workers."""

    session: Session
    tasks: Tasks

    def _post(self, message: Any) -> None:
        self.post_message(message)  # type: ignore[attr-defined]

    @work(thread=True, exclusive=True, group="patch", exit_on_error=False)
    def validate_patch(self, key: str, expl: Any, cancel: threading.Event, then_apply: bool = False) -> None:
        """Validate in the sandbox and show the verdict; in pair mode go on to Do when green."""
        root = self.session.root
        try:
            with self.tasks.lock:
                self.tasks.for_fix(key, expl, self.session.mode)
            patch = backends.to_patch(expl)
            validation = _call(backends.patching().validate, root, patch, cancel=cancel)
        except Unavailable as e:
            self._post(PatchCancelled(key) if cancel.is_set() else PatchFailed("validate", str(e)))
            return
        except Exception as e:
            self._post(
                PatchCancelled(key)
                if cancel.is_set()
                else PatchFailed("validate", _sentence("Validation", e))
            )
            return
        if cancel.is_set():  # x killed cargo: the red it reports is the cancel, not the patch
            self._post(PatchCancelled(key))
            return
        ok = validation_ok(validation)
        status, summary = judge(validation, expl.level)
        self._post(PatchValidated(key, patch, validation, ok, summary, status))
        if ok and then_apply and not cancel.is_set():
            self._do(key, expl)

    @work(thread=True, exclusive=True, group="patch", exit_on_error=False)
    def apply_patch(self, key: str, expl: Any) -> None:
        self._do(key, expl)

    def _do(self, key: str, expl: Any) -> None:
        """The loop's Do: it validates again right before landing, so nothing red or stale lands."""
        try:
            with self.tasks.lock:
                loop = self.tasks.for_fix(key, expl, self.session.mode)
                result = loop.do(0)
                if result.applied:
                    self.tasks.last_applied = key
        except Exception as e:
            self._post(PatchFailed("apply", _sentence("Apply", e)))
            return
        if not result.applied:
            self._post(PatchFailed("apply", f"Not applied: {result.reason}"))
            return
        self._post(PatchApplied(key, result, result.reason))

    @work(thread=True, exclusive=True, group="patch", exit_on_error=False)
    def undo_patch(self, redo: bool = False) -> None:
        """Undo through the task's loop when it applied the last patch (Undo, then Reflect)."""
        try:
            with self.tasks.lock:
                key = self.tasks.last_applied
                loop = self.tasks.loops.get(key) if key else None
                if not redo and loop is not None and loop.state == "done":
                    patch_id = loop.last_patch_id
                    loop.undo()
                    loop.reflect(f"undid {patch_id}; the files are back as they were")
                    self.tasks.last_applied = None
                    record: Any = None
                    summary = f"undid {patch_id}."
                else:
                    record = backends.redo(self.session.root) if redo else backends.undo(self.session.root)
                    summary = describe(record, "redone." if redo else "undone.")
        except Exception as e:
            self._post(PatchFailed("redo" if redo else "undo", _sentence("Redo" if redo else "Undo", e)))
            return
        self._post(PatchUndone(record, summary, redo=redo))

    @work(thread=True, exclusive=True, group="recover", exit_on_error=False)
    def recover_on_start(self) -> None:
        """Finish or roll back what a crash interrupted, then say what was found."""
        root = self.session.root
        notes: list[str] = []
        intents: tuple[Any, ...] = ()
        restored = ""
        try:
            restored_obj = backends.recover(root)
            if isinstance(restored_obj, list | tuple):
                restored = "; ".join(str(x) for x in restored_obj)
            elif restored_obj is not None:
                restored = describe(restored_obj, "")
        except Unavailable as e:
            notes.append(str(e))
        except Exception as e:
            notes.append(_sentence("Recovery", e))
        try:
            intents = backends.open_intents(root)
        except Unavailable as e:
            notes.append(str(e))
        except Exception as e:
            notes.append(_sentence("Reading the DevLog", e))
        try:
            blocked = backends.unpatchable_reason(root)
        except Exception as e:  # git missing or failing: the patch path will say so itself
            blocked = ""
            notes.append(_sentence("Listing the crate's files", e))
        self._post(Recovered(intents, restored, " ".join(notes), blocked))
