"""Bounded storage: a crate's snapshot store and Rusta's cache, brought under their caps.

The caps, `rusta gc` over both, and the quiet collection after an apply live here; the store's
reachability and repack in `diary.gc_store`, the cache's eviction in `diary.gc_cache`.

The store (`<crate>/.rusta/snapshots.git`). Kept whatever the cap: both snapshots of every op in
the undo history (the newest `undo_history_ops` finished ops), every snapshot an unsettled intent
names, the latest snapshot, any snapshot younger than `GRACE_S` (a validation in flight may hold
one that no record names yet) and the blobs of the stat cache. Of the rest, what is older than the
age cap goes, then the oldest until the store's size, estimated object by object as dulwich will
pack it, is under the cap. What is kept is written into one new pack (fsynced, and its folder);
only then are the old packs and loose objects removed, so a crash in between leaves duplicates,
never a loss.

The cache (`toolbelt.paths.cache_dir()`): entries whose crate is gone go first, then the least
recently used while the total is over the cap. An entry whose lock someone holds (cargo's build
lock, a validation's sandbox lock, a probe's or a repair's lock) is never touched: gc takes each
lock without waiting and holds it while it deletes.
"""

from __future__ import annotations

import time
import tomllib
from pathlib import Path
from typing import Any

import msgspec

from diary import snapshots as snaps
from diary.devlog import DevLog
from diary.errors import DiaryError, GcError
from diary.gc_cache import MIB, KindRow, Removal, collect_cache
from diary.gc_store import (
    GRACE_S,
    PATCH_OPS,
    STATE_FILE,
    GcState,
    StorePlan,
    UndoHistory,
    collect_store,
    load_state,
    plan_store,
    undo_history,
)
from diary.rustadir import STORE_DIR
from toolbelt.paths import StorageLimits, cache_dir, tree_bytes

__all__ = [
    "CACHE_SCAN_EVERY_S",
    "GRACE_S",
    "MIB",
    "PATCH_OPS",
    "STATE_FILE",
    "GcError",
    "GcReport",
    "GcState",
    "KindRow",
    "Removal",
    "StorePlan",
    "UndoHistory",
    "after_apply",
    "collect",
    "collect_cache",
    "collect_store",
    "limits_for",
    "load_state",
    "plan_store",
    "store_over_cap",
    "undo_history",
]

CACHE_SCAN_EVERY_S = 3600.0  # after an apply, the cache is walked at most this often


class GcReport(msgspec.Struct, frozen=True, kw_only=True):
    dry_run: bool
    cache_root: str
    crate: str | None
    cache_cap: int
    rows: tuple[KindRow, ...]
    removals: tuple[Removal, ...] = ()
    notes: tuple[str, ...] = ()

    @property
    def freed(self) -> int:
        return sum(r.freed for r in self.rows)


# --- limits -------------------------------------------------------------------------------------


def limits_for(root: Path | None) -> StorageLimits:
    """The crate's caps from `.rusta/settings.toml` (the app's Settings writes them), else defaults."""
    if root is None:
        return StorageLimits()
    path = root / STORE_DIR / "settings.toml"
    try:
        raw = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return StorageLimits()
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as e:
        raise GcError(f"{path} is broken ({e}); fix it or delete it to use the default caps.") from e
    known = {k: v for k, v in raw.items() if k in StorageLimits.__struct_fields__}
    try:
        limits = msgspec.convert(known, type=StorageLimits)
    except msgspec.ValidationError as e:
        raise GcError(f"{path}: {e}.") from e
    if min(msgspec.structs.astuple(limits)) < 0:
        raise GcError(f"{path}: the storage caps cannot be negative.")
    return limits


# --- both ---------------------------------------------------------------------------------------


def collect(
    root: Path | None, *, dry_run: bool, limits: StorageLimits | None = None, now: float | None = None
) -> GcReport:
    """`rusta gc`: the cache, and the store of the crate at `root` when there is one."""
    limits = limits or limits_for(root)
    rows, removals, notes = collect_cache(limits, dry_run=dry_run)
    if root is not None:
        srow, sdrop, snotes = collect_store(root, limits, dry_run=dry_run, now=now)
        rows, removals, notes = rows + (srow,), removals + sdrop, notes + snotes
    return GcReport(
        dry_run=dry_run,
        cache_root=str(cache_dir()),
        crate=None if root is None else str(root),
        cache_cap=limits.cache_cap_mb * MIB,
        rows=rows,
        removals=removals,
        notes=notes,
    )


def store_over_cap(root: Path, limits: StorageLimits) -> bool:
    return tree_bytes(snaps.store_path(root)) > limits.snapshot_cap_mb * MIB


def after_apply(root: Path) -> GcReport | None:
    """Run after an apply: collect the store when it is over its cap, and the cache when it has not
    been looked at for `CACHE_SCAN_EVERY_S`. Says nothing on screen; what it freed, or why it could
    not, goes to the DevLog as a note. The caller holds the crate's patch lock."""
    try:
        limits = limits_for(root)
        stamp = cache_dir() / "gc.stamp"
        try:
            cache_due = time.time() - stamp.stat().st_mtime > CACHE_SCAN_EVERY_S
        except FileNotFoundError:
            cache_due = True
        store_due = store_over_cap(root, limits)
        if not (cache_due or store_due):
            return None
        rows: tuple[KindRow, ...] = ()
        removals: tuple[Removal, ...] = ()
        notes: tuple[str, ...] = ()
        if cache_due:
            stamp.parent.mkdir(parents=True, exist_ok=True)
            stamp.touch()
            rows, removals, notes = collect_cache(limits, dry_run=False)
        if store_due:
            srow, sdrop, snotes = collect_store(root, limits, dry_run=False)
            rows, removals, notes = rows + (srow,), removals + sdrop, notes + snotes
        report = GcReport(
            dry_run=False,
            cache_root=str(cache_dir()),
            crate=str(root),
            cache_cap=limits.cache_cap_mb * MIB,
            rows=rows,
            removals=removals,
            notes=notes,
        )
        if report.freed or notes:
            _note(root, f"gc after apply freed {report.freed / MIB:.1f} MiB", report)
        return report
    except (DiaryError, OSError) as e:
        _note(root, f"gc after apply failed: {e}", None)
        return None


def _note(root: Path, summary: str, report: GcReport | None) -> None:
    log = DevLog.open(root)
    try:
        payload: dict[str, Any] = {"summary": summary, "via": "gc"}
        if report is not None:
            payload["gc"] = msgspec.to_builtins(report)
        log.append("note", payload)
    finally:
        log.close()
