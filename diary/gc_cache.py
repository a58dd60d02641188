"""Rusta's cache (`toolbelt.paths.cache_dir()`) brought under its cap.

Entries whose crate is gone go first, then the least recently used while the total is over the
cap. An entry whose lock someone holds (cargo's build lock, a validation's sandbox lock, a probe's
or a repair's lock) is never touched: gc takes each lock without waiting and holds it while it
deletes. `diary.gc` runs this and the snapshot store's collection together.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import shutil
from collections.abc import Iterator

import msgspec

from toolbelt.paths import CacheEntry, StorageLimits, cache_entries, forget

MIB = 1024 * 1024


class Removal(msgspec.Struct, frozen=True, kw_only=True):
    kind: str  # targets, sandboxes, scratch, snapshots
    path: str  # a folder, or a snapshot id for the store
    bytes: int
    reason: str


class KindRow(msgspec.Struct, frozen=True, kw_only=True):
    """One line of `rusta gc`'s table."""

    kind: str
    entries: int
    bytes: int
    removed: int = 0
    freed: int = 0
    in_use: int = 0
    cap: int | None = None  # bytes; the cache's cap is shared by its three kinds


@contextlib.contextmanager
def _held(locks: tuple[str, ...]) -> Iterator[bool]:
    """Every lock of an entry taken without waiting (False when someone holds one), kept until exit.

    Lock files are opened, never created: a missing one is held by nobody.
    """
    fds: list[int] = []
    try:
        for path in locks:
            try:
                fd = os.open(path, os.O_RDONLY)
            except FileNotFoundError:
                continue
            fds.append(fd)
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                yield False
                return
        yield True
    finally:
        for fd in fds:
            os.close(fd)


def collect_cache(
    limits: StorageLimits, *, dry_run: bool
) -> tuple[tuple[KindRow, ...], tuple[Removal, ...], tuple[str, ...]]:
    """Drop the entries whose crate is gone, then the least recently used while over the cap."""
    usage = cache_entries()
    cap = limits.cache_cap_mb * MIB
    total = sum(e.bytes for e in usage.entries)
    order = sorted(usage.entries, key=lambda e: (e.crate_exists, e.last_used))
    removed: list[tuple[CacheEntry, str]] = []
    busy: list[CacheEntry] = []
    notes: list[str] = []
    for e in order:
        reason = "its crate is gone" if not e.crate_exists else "least recently used"
        if e.crate_exists and total <= cap:
            break
        with _held(e.locks) as free:
            if not free:
                busy.append(e)
                continue
            if not dry_run:
                try:
                    shutil.rmtree(e.path)
                except OSError as err:
                    notes.append(f"could not remove {e.path}: {err.strerror or err}.")
                    continue
        total -= e.bytes
        removed.append((e, reason))
    if not dry_run:
        left = {e.key for e in usage.entries} - {e.key for e, _ in removed}
        for e, _ in removed:
            if e.key not in left and not e.crate_exists:
                forget(e.key)
    if busy:
        notes.append(
            f"{len(busy)} cache entr{'y' if len(busy) == 1 else 'ies'} in use by a running job, left alone."
        )
    if total > cap:
        notes.append(
            f"the cache is still {total / MIB:.0f} MiB, over its {limits.cache_cap_mb} MiB cap: the rest is in use."
        )
    rows = []
    for kind in ("targets", "sandboxes", "scratch"):
        mine = [e for e in usage.entries if e.kind == kind]
        gone = [e for e, _ in removed if e.kind == kind]
        rows.append(
            KindRow(
                kind=kind,
                entries=len(mine),
                bytes=sum(e.bytes for e in mine),
                removed=len(gone),
                freed=sum(e.bytes for e in gone),
                in_use=sum(e.kind == kind for e in busy),
                cap=cap,
            )
        )
    removals = tuple(Removal(kind=e.kind, path=e.path, bytes=e.bytes, reason=r) for e, r in removed)
    return tuple(rows), removals, tuple(notes)
