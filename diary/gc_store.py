"""A crate's snapshot store (`<crate>/.rusta/snapshots.git`) brought under its cap.

Kept whatever the cap: both snapshots of every op in the undo history (the newest
`undo_history_ops` finished ops), every snapshot an unsettled intent names, the latest snapshot,
any snapshot younger than `GRACE_S` (a validation in flight may hold one that no record names yet)
and the blobs of the stat cache. Of the rest, what is older than the age cap goes, then the oldest
until the store's size, estimated object by object as dulwich will pack it, is under the cap. What
is kept is written into one new pack (fsynced, and its folder); only then are the old packs and
loose objects removed, so a crash in between leaves duplicates, never a loss.
"""

from __future__ import annotations

import contextlib
import os
import time
import zlib
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import msgspec
from dulwich.objects import Commit, ShaFile, Tree

from diary import snapshots as snaps
from diary.devlog import DevLog
from diary.errors import GcError
from diary.gc_cache import MIB, KindRow, Removal
from diary.payloads import PayloadBase
from diary.rustadir import STORE_DIR
from diary.segments import fsync_dir
from toolbelt.paths import StorageLimits, tree_bytes

GRACE_S = 3600.0  # a snapshot this young may belong to a validation or an op still running
PATCH_OPS = ("apply", "undo", "redo")
_PACK_ENTRY = 32  # bytes a pack and its index add per object besides the compressed data
STATE_FILE = "gc.json"


class GcState(msgspec.Struct, frozen=True, kw_only=True, forbid_unknown_fields=True):
    """`.rusta/gc.json`: where the undo history ended when the store was last collected."""

    version: int = 1
    at: float
    undo_floor: str | None  # id of the oldest op gc keeps undoable; None while every op is kept
    ops_outside: int  # older ops, whose snapshots gc may collect
    ops_kept: int


_state_enc = msgspec.json.Encoder()
_state_dec = msgspec.json.Decoder(GcState)


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


def _snapshot_ids(d: dict[str, Any] | PayloadBase) -> list[str]:
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
        self.parent: dict[bytes, bytes] = {}  # commit -> the snapshot that was latest before it
        self.children: dict[bytes, tuple[bytes, ...]] = {}  # tree -> entries
        for sha in list(store):
            type_num, raw = store.get_raw(sha)
            self.size[sha] = len(zlib.compress(raw)) + _PACK_ENTRY
            obj = ShaFile.from_raw_string(type_num, raw) if type_num in (1, 2) else None  # commit, tree
            if isinstance(obj, Commit):
                self.commits[sha] = (obj.commit_time, obj.tree)
                if obj.parents:
                    self.parent[sha] = obj.parents[0]
            elif isinstance(obj, Tree):
                t = obj
                self.children[sha] = tuple(i.sha for i in t.iteritems() if i.mode != 0o160000)
        self._memo: dict[bytes, frozenset[bytes]] = {}

    def age_order(self, shas: Iterable[bytes]) -> list[bytes]:
        """`shas` oldest first. A commit's time is whole seconds, and a validation, an op's before
        and its after often share one; within a second the parent chain (each snapshot's parent is
        the one that was latest before it) says which came first, never the ids' order."""
        depth: dict[bytes, int] = {}
        for sha in self.commits:
            chain = []
            c: bytes | None = sha
            while c is not None and c not in depth and c in self.commits:
                chain.append(c)
                c = self.parent.get(c)
            d = depth.get(c, -1) if c is not None else -1
            for c in reversed(chain):
                d += 1
                depth[c] = d
        return sorted(shas, key=lambda s: (self.commits[s][0], depth[s]))

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
    rest = objs.age_order(sha for sha in objs.commits if sha not in live)
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
