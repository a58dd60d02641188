"""The app's side of the memory: sync when it starts and when it closes, forget on request.

Syncs run in a thread worker of the "memory" group (incremental: only new DevLog records are
read); the result reaches the UI as a `MemorySynced` message, and Home and Settings draw from
`app.memory`. A memory that cannot be synced says so once and changes nothing else.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual import work
from textual.message import Message

if TYPE_CHECKING:
    from textual.notifications import SeverityLevel

    from engine.memory.types import Memory
    from rusta_tui.state import Session


class MemorySynced(Message):
    """A sync (or a forget) finished: `memory` is what Rusta remembers now; `error` when it failed."""

    def __init__(self, memory: Memory | None, reason: str, error: str = "") -> None:
        super().__init__()
        self.memory = memory
        self.reason = reason
        self.error = error


class MemoryMixin:
    """Mixed into RustaApp: `memory` and the workers that keep it current."""

    session: Session
    memory: Memory | None = None
    if TYPE_CHECKING:  # provided by App and RustaApp; declared here for the type checker only

        def post_message(self, message: Message) -> bool: ...

        def refresh_active(self) -> None: ...

        def say(self, text: str, *, severity: SeverityLevel = "information") -> None: ...

    @work(thread=True, exclusive=True, group="memory", exit_on_error=False)
    def sync_memory(self, reason: str = "start", forget: str | None = None) -> None:
        from engine.memory import store
        from engine.memory.errors import MemoryStoreError

        try:
            rep = store.forget(self.session.root, forget) if forget else store.sync(self.session.root)
        except MemoryStoreError as e:  # one sentence on screen
            self.post_message(MemorySynced(None, reason, str(e)))
            return
        self.post_message(MemorySynced(rep.memory, reason))

    def sync_memory_now(self) -> None:
        """At exit, in the foreground: the worker pool is going away, and a sync is cheap."""
        from engine.memory import store
        from engine.memory.errors import MemoryStoreError

        try:
            self.memory = store.sync(self.session.root).memory
        except MemoryStoreError:  # leaving the app must not fail on it; the next start syncs
            return

    def on_memory_synced(self, message: MemorySynced) -> None:
        if message.memory is not None:
            self.memory = message.memory
        elif message.error:
            self.say_memory_error(message.error)
        self.refresh_active()

    def say_memory_error(self, error: str) -> None:
        self.say(f"Memory not synced: {error}", severity="warning")
