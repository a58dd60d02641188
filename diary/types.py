"""Structs of the DevLog: entries, and the reports of recovery and verification.

An `Entry` is what every caller reads back, whatever schema version wrote it (see `diary.schema`).
"""

from __future__ import annotations

from typing import Any, Literal

import msgspec

from diary.payloads import Payload

EntryKind = Literal["intent", "action", "validation", "reflection", "note"]
KINDS: tuple[str, ...] = ("intent", "action", "validation", "reflection", "note")


class Base(msgspec.Struct, frozen=True, kw_only=True):
    """Common base: frozen, keyword-only."""


class Entry(Base, kw_only=True, frozen=True):
    """One DevLog record.

    `task` groups the records of one loop (the id of the intent that opened it); `settles` names
    the entry this one closes. `repo_state` holds the snapshot id and toolchain versions when the
    writer knew them; `payload` is a typed member of `diary.payloads.Payload` (any version's
    record is read into one), with a one-line "summary"; it still answers `.get(key)` like the
    dict it replaced.
    """

    id: str
    ts: float
    session: str
    kind: EntryKind
    task: str | None = None
    settles: str | None = None
    version: int
    repo_state: dict[str, Any] = msgspec.field(default_factory=dict)
    payload: Payload

    @property
    def summary(self) -> str:
        s = self.payload.get("summary")
        return s if isinstance(s, str) else ""


class Location(Base, frozen=True):
    """Where a record lives: segment number and byte offset of its frame."""

    segment: int
    offset: int
    size: int


class DamageReport(Base, frozen=True):
    """One damaged byte range found on open or by verify, and where its bytes were put."""

    segment: str  # file name
    start: int
    end: int
    reason: str
    at_tail: bool
    quarantined: str | None = None  # path of the kept copy, when repaired
    action: Literal["none", "truncated", "rewritten", "removed"] = "none"


class RecoveryReport(Base, frozen=True):
    """What opening the log found and did. Empty `damage` means the log was whole."""

    damage: tuple[DamageReport, ...] = ()
    entries: int = 0
    segments: int = 0
    repaired: bool = False

    @property
    def clean(self) -> bool:
        return not self.damage


class EntryProblem(Base, frozen=True):
    """A frame that verified but whose entry breaks the schema or the log's rules."""

    segment: str
    offset: int
    entry_id: str | None
    problem: str
    severity: Literal["error", "warning"] = "error"


class VerifyReport(Base, frozen=True):
    segments: tuple[str, ...]
    frames: int
    entries: int
    damage: tuple[DamageReport, ...] = ()
    problems: tuple[EntryProblem, ...] = ()

    @property
    def ok(self) -> bool:
        return not self.damage and not any(p.severity == "error" for p in self.problems)


class Interrupted(Base, frozen=True):
    """An intent that nothing settled: Rusta stopped mid-task. `advice` says what to do about it."""

    intent: Entry
    records: tuple[Entry, ...]  # the task's other records, in order
    advice: str


class StoreRepair(Base, frozen=True):
    """What recovery found of a killed writer in the snapshot store and put right."""

    remade: bool = False  # the store had been left half made, holding no object, and was made again
    removed: tuple[str, ...] = ()  # lock and temporary files, relative to the store
