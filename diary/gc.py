"""Bounded storage: a crate's snapshot store and Rusta's cache, brought under their caps.

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

import contextlib
import fcntl
import os
import shutil
import time
import tomllib
import zlib
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import msgspec
from dulwich.objects import ShaFile

from diary import snapshots as snaps
from diary.devlog import DevLog
from diary.errors import DiaryError, GcError
from diary.rustadir import STORE_DIR
from diary.segments import fsync_dir
from toolbelt.paths import CacheEntry, StorageLimits, cache_dir, cache_entries, forget, tree_bytes

MIB = 1024 * 1024
GRACE_S = 3600.0  # a snapshot this young may belong to a validation or an op still running
CACHE_SCAN_EVERY_S = 3600.0  # after an apply, the cache is walked at most this often
PATCH_OPS = ("apply", "undo", "redo")
_PACK_ENTRY = 32  # bytes a pack and its index add per object besides the compressed data
STATE_FILE = "gc.json"


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


class GcState(msgspec.Struct, frozen=True, kw_only=True, forbid_unknown_fields=True):
    """`.rusta/gc.json`: where the undo history ended when the store was last collected."""

    version: int = 1
    at: float
    undo_floor: str | None  # id of the oldest op gc keeps undoable; None while every op is kept
    ops_outside: int  # older ops, whose snapshots gc may collect
    ops_kept: int


_state_enc = msgspec.json.Encoder()
_state_dec = msgspec.json.Decoder(GcState)


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


# --- the snapshot store -------------------------------------------------------------------------


class UndoHistory(msgspec.Struct, frozen=True, kw_only=True):
    """The finished ops in order, and which of them stay undoable under the cap."""

    ops: tuple[tuple[str, str, str], ...]  # (op id, snapshot before, snapshot after), oldest first
    kept: int  # the newest `kept` ops are undoable
    open_snapshots: frozenset[str]  # named by unsettled intents

    @property
    def floor(self) -> str | None:
        """The oldest undoable op, when older ones fell out of the history; else None."""
        return self.ops[-self.kept][0] if 0 < self.kept < len(self.ops) else None


def undo_history(root: Path, limits: StorageLimits) -> UndoHistory:
    """Read the DevLog for the ops and the unsettled intents (the same records `engine.patching.oplog`
    reads: diary cannot import the engine, and needs only the snapshot ids)."""
    if not (root / STORE_DIR / "devlog").is_dir():
        return UndoHistory(ops=(), kept=0, open_snapshots=frozenset())
    log = DevLog.open(root, readonly=True)
    try:
        entries = list(log.entries())
        open_ids = {e.id for e in log.open_intents()}
    finally:
        log.close()
    intents = {
        e.id
        for e in entries
        if e.kind == "intent" and e.payload.get("via") == "patching" and e.payload.get("op") in PATCH_OPS
    }
    ops = []
    named: set[str] = set()
    for e in entries:
        p = e.payload
        if e.kind == "action" and e.settles in intents and p.get("status") == "done":
            ops.append((e.settles, str(p.get("snapshot_before", "")), str(p.get("snapshot_after", ""))))
        if e.task in open_ids or e.id in open_ids:
            named.update(_snapshot_ids(p))
            named.update(_snapshot_ids(e.repo_state))
    kept = min(len(ops), max(0, limits.undo_history_ops))
    return UndoHistory(ops=tuple(ops), kept=kept, open_snapshots=frozenset(named))


def _snapshot_ids(d: dict[str, Any]) -> list[str]:
    out = []
    for k in ("snapshot", "snapshot_before", "snapshot_after"):
        v = d.get(k)
        if isinstance(v, str) and len(v) == 40:
            out.append(v)
    return out


class _Objects:
    """Every object of the store with its type, its packed size and, for commits and trees, links."""

    def __init__(self, store) -> None:
        self.size: dict[bytes, int] = {}
        self.commits: dict[bytes, tuple[int, bytes]] = {}  # id -> (commit time, tree)
        self.children: dict[bytes, tuple[bytes, ...]] = {}  # tree -> entries
        for sha in list(store):
            type_num, raw = store.get_raw(sha)
            self.size[sha] = len(zlib.compress(raw)) + _PACK_ENTRY
            if type_num == 1:
                c = ShaFile.from_raw_string(type_num, raw)
                self.commits[sha] = (c.commit_time, c.tree)
            elif type_num == 2:
                t = ShaFile.from_raw_string(type_num, raw)
                self.children[sha] = tuple(i.sha for i in t.iteritems() if i.mode != 0o160000)
        self._memo: dict[bytes, frozenset[bytes]] = {}

    def reach(self, commit: bytes) -> frozenset[bytes]:
        """The commit, its trees and blobs (not its parents: each snapshot stands alone)."""
        return frozenset((commit,)) | self._tree(self.commits[commit][1])

    def _tree(self, tree: bytes) -> frozenset[bytes]:
        """Objects under `tree` that the store has (a missing one cannot be kept, only reported)."""
        hit = self._memo.get(tree)
        if hit is None:
            out = {tree} if tree in self.size else set()
            for c in self.children.get(tree, ()):
                if c in self.children:
                    out |= self._tree(c)
                elif c in self.size:
                    out.add(c)
            hit = self._memo[tree] = frozenset(out)
        return hit


class StorePlan(msgspec.Struct, frozen=True, kw_only=True):
    commits: int
    bytes_before: int
    bytes_after: int  # estimated until the pack is written
    drop: tuple[Removal, ...]
    keep: frozenset[bytes]
    garbage: int  # objects no kept snapshot reaches
    notes: tuple[str, ...]


def plan_store(
    root: Path, limits: StorageLimits, repo, hist: UndoHistory, now: float, stat_blobs: set[bytes]
) -> StorePlan:
    store = repo.object_store
    path = snaps.store_path(root)
    before = tree_bytes(path)
    fixed = before - tree_bytes(path / "objects")
    objs = _Objects(store)
    notes = []
    protected: dict[bytes, str] = {}
    for op_id, b, a in hist.ops[len(hist.ops) - hist.kept :]:
        for s in (b, a):
            protected[s.encode()] = f"op {op_id}"
    for s in hist.open_snapshots:
        protected[s.encode()] = "an unsettled intent"
    with contextlib.suppress(KeyError):
        protected[repo.refs[snaps.LATEST_REF]] = "the latest snapshot"
    for sha, (t, _tree) in objs.commits.items():
        if now - t < GRACE_S:
            protected.setdefault(sha, "a recent snapshot")
    missing = sorted({why for sha, why in protected.items() if sha not in objs.commits})
    if missing:
        notes.append(f"already missing from the store: snapshots of {', '.join(missing)}.")
    live = {sha for sha in protected if sha in objs.commits}
    rest = sorted((sha for sha in objs.commits if sha not in live), key=lambda s: objs.commits[s][0])
    max_age = limits.snapshot_max_age_days * 86400.0
    drop: list[Removal] = []
    keepers = []
    for sha in rest:
        if now - objs.commits[sha][0] > max_age:
            drop.append(
                Removal(kind="snapshots", path=sha.decode(), bytes=0, reason="older than the age cap")
            )
        else:
            keepers.append(sha)
    refs: dict[bytes, int] = {}
    for sha in live | set(keepers):
        for o in objs.reach(sha):
            refs[o] = refs.get(o, 0) + 1
    extra = {b for b in stat_blobs if b in objs.size and b not in refs}
    size = fixed + sum(objs.size[o] for o in refs) + sum(objs.size[o] for o in extra)
    cap = limits.snapshot_cap_mb * MIB
    for sha in keepers:
        if size <= cap:
            break
        freed = 0
        for o in objs.reach(sha):
            refs[o] -= 1
            if refs[o] == 0 and o not in extra:
                freed += objs.size[o]
                del refs[o]
        size -= freed
        drop.append(Removal(kind="snapshots", path=sha.decode(), bytes=freed, reason="over the size cap"))
    if size > cap:
        notes.append(
            f"the snapshots undo still needs take {size / MIB:.1f} MiB, over the {limits.snapshot_cap_mb} MiB "
            "cap; lower undo_history_ops in .rusta/settings.toml to keep fewer."
        )
    keep = frozenset(refs) | frozenset(extra)
    return StorePlan(
        commits=len(objs.commits),
        bytes_before=before,
        bytes_after=min(before, size),
        drop=tuple(drop),
        keep=keep,
        garbage=len(objs.size) - len(keep),
        notes=tuple(notes),
    )


def _repack(repo, keep: frozenset[bytes]) -> None:
    """One pack of `keep`, durable, then the old packs and loose objects removed."""
    store = repo.object_store
    objects = Path(store.path)
    old_packs = [p.name() for p in store.packs]
    new = store.add_objects([(store[sha], None) for sha in sorted(keep)]) if keep else None
    fsync_dir(objects / "pack")
    mine = new.name() if new is not None else None
    for name in old_packs:
        if name == mine:
            continue
        for ext in (".pack", ".idx", ".keep", ".bitmap", ".rev"):
            (objects / "pack" / f"pack-{name.decode()}{ext}").unlink(missing_ok=True)
    for sub in os.listdir(objects):
        if len(sub) != 2:
            continue
        d = objects / sub
        for f in os.listdir(d):
            (d / f).unlink()
        d.rmdir()
    fsync_dir(objects / "pack")
    fsync_dir(objects)


def collect_store(
    root: Path, limits: StorageLimits, *, dry_run: bool, now: float | None = None
) -> tuple[KindRow, tuple[Removal, ...], tuple[str, ...]]:
    """Collect one crate's store: its table row, the snapshots dropped and what to tell the user."""
    cap = limits.snapshot_cap_mb * MIB
    if not (snaps.store_path(root) / "objects").is_dir():
        return KindRow(kind="snapshots", entries=0, bytes=0, cap=cap), (), ()
    now = time.time() if now is None else now
    hist = undo_history(root, limits)
    try:
        with snaps.open_locked(root) as repo:
            plan = plan_store(
                root, limits, repo, hist, now, {b.encode() for b in snaps.stat_cache_blobs(root)}
            )
            loose = any(len(s) == 2 for s in os.listdir(Path(repo.object_store.path)))
            if not dry_run and (plan.drop or plan.garbage or loose):
                _repack(repo, plan.keep)
                state = GcState(
                    at=now, undo_floor=hist.floor, ops_outside=len(hist.ops) - hist.kept, ops_kept=hist.kept
                )
                _save_state(root, state)
    except OSError as e:
        raise GcError(f"cannot collect the snapshot store of {root}: {e.strerror or e}.") from e
    after = plan.bytes_after if dry_run else tree_bytes(snaps.store_path(root))
    row = KindRow(
        kind="snapshots",
        entries=plan.commits,
        bytes=plan.bytes_before,
        removed=len(plan.drop),
        freed=max(0, plan.bytes_before - after),
        cap=cap,
    )
    return row, plan.drop, plan.notes


def _save_state(root: Path, state: GcState) -> None:
    snaps.atomic_write_bytes(root / STORE_DIR / STATE_FILE, _state_enc.encode(state), 0o644, fsync=True)


def load_state(root: Path) -> GcState | None:
    """What the last collection of this crate's store did; None before the first one."""
    try:
        return _state_dec.decode((root / STORE_DIR / STATE_FILE).read_bytes())
    except (OSError, msgspec.DecodeError, msgspec.ValidationError):
        return None


# --- the cache ----------------------------------------------------------------------------------


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
