"""The Do and Undo steps in the app: validate a patch in a sandbox, apply it when green, undo, redo.

Each step is a thread worker in the "patch" group; the engine's patch path does the work and keeps
the invariants (sandbox, green before landing, undo for everything); the app only shows it.
"""

from __future__ import annotations

import inspect
import re
import threading
from typing import TYPE_CHECKING, Any

from textual import work

from rusta_tui import backends
from rusta_tui.errors import Unavailable
from rusta_tui.messages import PatchApplied, PatchFailed, PatchUndone, PatchValidated, Recovered

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


def export_name(key: str) -> str:
    return re.sub(r"[^A-Za-z0-9._-]+", "-", key).strip("-") + ".patch"


class PatchFlowMixin:
    """Mixed into RustaApp: the Do/Undo workers."""

    session: Session

    def _post(self, message: Any) -> None:
        self.post_message(message)  # type: ignore[attr-defined]

    @work(thread=True, exclusive=True, group="patch", exit_on_error=False)
    def validate_patch(self, key: str, expl: Any, cancel: threading.Event, then_apply: bool = False) -> None:
        root = self.session.root
        try:
            patch = backends.to_patch(expl)
            validation = _call(backends.patching().validate, root, patch, cancel=cancel)
        except Unavailable as e:
            self._post(PatchFailed("validate", str(e)))
            return
        except Exception as e:
            self._post(PatchFailed("validate", _sentence("Validation", e)))
            return
        ok = validation_ok(validation)
        summary = describe(validation, "green: it compiles and the tests pass." if ok else "red.")
        self._post(PatchValidated(key, patch, validation, ok, summary))
        if ok and then_apply and not cancel.is_set():
            self._apply(key, patch, validation)

    @work(thread=True, exclusive=True, group="patch", exit_on_error=False)
    def apply_patch(self, key: str, patch: Any, validation: Any) -> None:
        self._apply(key, patch, validation)

    def _apply(self, key: str, patch: Any, validation: Any) -> None:
        try:
            record = backends.apply(self.session.root, patch, validation)
        except Exception as e:
            self._post(PatchFailed("apply", _sentence("Apply", e)))
            return
        self._post(PatchApplied(key, record, describe(record, "applied.")))

    @work(thread=True, exclusive=True, group="patch", exit_on_error=False)
    def undo_patch(self, redo: bool = False) -> None:
        try:
            record = backends.redo(self.session.root) if redo else backends.undo(self.session.root)
        except Exception as e:
            self._post(PatchFailed("redo" if redo else "undo", _sentence("Redo" if redo else "Undo", e)))
            return
        self._post(PatchUndone(record, describe(record, "redone." if redo else "undone."), redo=redo))

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
        self._post(Recovered(intents, restored, " ".join(notes)))
