"""Settling a task that stops on an error or a Ctrl-C: the outcome is known, so it is recorded.

An intent left open means "Rusta was killed mid-action" (kill -9, power loss): the next start
reports it as interrupted and asks the user what to do. When the process itself sees the task stop
(a user-facing error, a refused lock, Ctrl-C), leaving the intent open would make every handled
failure look like a crash, and `rusta diary replay` would list it forever. So every flow that opens
an intent wraps its work in `settling`, which writes the reflection that settles it with the reason.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterator
from typing import Any

from diary.errors import DiaryError
from diary.records import Outcome, reflection


def _reason(exc: BaseException) -> tuple[Outcome, str]:
    """(outcome, one-line reason) for an exception that stopped a task."""
    if isinstance(exc, KeyboardInterrupt):
        return "abandoned", "interrupted by the user (Ctrl-C); nothing half-written was left behind"
    text = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
    if not getattr(exc, "user_facing", False):
        text = f"{type(exc).__name__}: {text}"
    return "failed", text.rstrip(".")


def settle_failed(log: Any, task: str | None, exc: BaseException) -> str | None:
    """Settle `task` with why it stopped; the reflection's id, or None when there was nothing to settle.

    A task already settled is left alone. When the log itself refuses the write (disk full, a
    read-only crate), the intent stays open and replay reports it as interrupted, which is true.
    """
    if task is None or task not in {e.id for e in log.open_intents()}:
        return None
    outcome, why = _reason(exc)
    try:
        return log.append("reflection", reflection(outcome, f"stopped: {why}"), settles=task)
    except DiaryError:
        return None  # the open intent is the record: replay shows the task as interrupted


@contextlib.contextmanager
def settling(log: Any, task: Callable[[], str | None]) -> Iterator[None]:
    """Run a task's work; if it raises (Ctrl-C included), settle the task with the reason and re-raise.

    `task` is called only on failure, so a flow may open its intent inside the block.
    """
    try:
        yield
    except BaseException as exc:
        if log is not None:
            settle_failed(log, task(), exc)
        raise
