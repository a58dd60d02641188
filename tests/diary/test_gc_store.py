"""The snapshot store past its cap is brought under it, and every snapshot undo needs survives.

Ops go through the real transaction path (`engine.patching.transaction.run_op`, what apply, undo
and redo use) on a crate in tmp_path; no cargo runs, since gc needs none. Undo afterwards is the
real `engine.patching.api.undo`.
"""

from __future__ import annotations

import base64
import os
import time
import types
from pathlib import Path

import msgspec
import pytest

from diary import gc
from diary import snapshots as snaps
from diary.devlog import DevLog
from engine.patching import api, oplog, transaction
from toolbelt.paths import StorageLimits, tree_bytes

BIG = 160_000  # bytes of incompressible text per version of the big file


def _text(seed: int) -> bytes:
    return base64.b64encode(os.urandom(BIG * 3 // 4)) + f"\n// version {seed}\n".encode()


def _crate(root: Path) -> Path:
    (root / "src").mkdir(parents=True)
    (root / "Cargo.toml").write_text('[package]\nname = "store"\nversion = "0.1.0"\nedition = "2021"\n')
    (root / "src" / "lib.rs").write_text("pub fn one() -> u32 { 1 }\n")
    (root / "src" / "blob.txt").write_bytes(_text(0))
    return root


def _apply(root: Path, i: int, data: bytes) -> None:
    changes = {"src/blob.txt": (snaps.MODE_FILE, data)}
    transaction.run_op(root, op="apply", patch_id=f"p{i}", changes=changes, summary=f"version {i}")


def _history(root: Path, n_ops: int) -> dict[str, bytes]:
    """`n_ops` applies with a validation-style snapshot of an unrelated edit between each two."""
    contents = {}
    for i in range(1, n_ops + 1):
        (root / "src" / "scratch.txt").write_bytes(_text(100 + i))  # a user edit a validation saw
        snaps.snapshot(root, "before validation")
        data = _text(i)
        _apply(root, i, data)
        contents[f"p{i}"] = data
    return contents


def _listing(root: Path) -> dict[str, tuple[int, int]]:
    out = {}
    for d, _dirs, files in os.walk(root):
        for f in files:
            st = os.stat(os.path.join(d, f))
            out[os.path.relpath(os.path.join(d, f), root)] = (st.st_size, st.st_mtime_ns)
    return out


def test_store_over_its_cap_comes_under_it_and_undo_still_works(tmp_path: Path) -> None:
    root = _crate(tmp_path / "crate")
    contents = _history(root, 16)
    store = snaps.store_path(root)
    limits = StorageLimits(snapshot_cap_mb=2, undo_history_ops=3)
    later = time.time() + 2 * gc.GRACE_S  # every snapshot is past the grace period
    assert tree_bytes(store) > 3 * gc.MIB  # 33 versions of 160 kB

    # an unsettled intent of another loop still names the very first snapshot
    ops = oplog.history(root)
    oldest_before = ops[0].snapshot_before
    log = DevLog.open(root)
    intent = log.append("intent", {"summary": "a fix loop that was killed", "via": "loop"})
    log.append("action", {"summary": "snapshot taken"}, task=intent, repo_state={"snapshot": oldest_before})
    log.close()

    before = _listing(store)
    dry = gc.collect(root, dry_run=True, limits=limits, now=later)
    assert _listing(store) == before, "--dry-run changed the store"
    srow = next(r for r in dry.rows if r.kind == "snapshots")
    assert srow.removed > 0 and srow.freed > 0

    done = gc.collect(root, dry_run=False, limits=limits, now=later)
    srow = next(r for r in done.rows if r.kind == "snapshots")
    assert srow.removed == next(r for r in dry.rows if r.kind == "snapshots").removed
    assert tree_bytes(store) <= limits.snapshot_cap_mb * gc.MIB
    assert not done.notes
    assert srow.freed == srow.bytes - tree_bytes(store)

    ops = oplog.history(root)
    for o in ops[-3:]:  # the undo history: every object of both snapshots is there
        for snap in (o.snapshot_before, o.snapshot_after):
            ents = snaps.entries(root, snap)
            snaps.read_blobs(root, [e.blob for e in ents.values()])
    ents = snaps.entries(root, oldest_before)  # named by the unsettled intent
    assert snaps.read_blobs(root, [e.blob for e in ents.values()])
    with pytest.raises(snaps.SnapshotError, match="rusta history"):
        snaps.entries(root, ops[0].snapshot_after)  # past the end of the undo history, and oldest

    state = gc.load_state(root)
    assert state is not None and state.undo_floor == ops[-3].op_id and state.ops_outside == 13

    # a real undo of the last two ops restores the exact bytes, through a new snapshot of the store
    api.undo(root)
    assert (root / "src" / "blob.txt").read_bytes() == contents["p15"]
    api.undo(root)
    assert (root / "src" / "blob.txt").read_bytes() == contents["p14"]
    with pytest.raises(snaps.SnapshotError):
        api.undo(root, op_id=ops[0].op_id)
    assert (root / "src" / "blob.txt").read_bytes() == contents["p14"]


def _chain(root: Path) -> list[str]:
    """Every snapshot, oldest first, from the latest back along the parent links."""
    out = []
    with snaps.open_locked(root) as repo:
        c: bytes | None = repo.refs[snaps.LATEST_REF]
        while c is not None:
            out.append(c.decode())
            parents = repo[c].parents
            c = parents[0] if parents else None
    return out[::-1]


def test_snapshots_made_within_one_second_go_oldest_first(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Commit times are whole seconds; a fast machine makes a whole history in one. gc must still
    drop in the order the snapshots were made (once it went by their ids, and kept the oldest)."""
    second = float(int(time.time()))
    monkeypatch.setattr(snaps, "time", types.SimpleNamespace(time=lambda: second, time_ns=time.time_ns))
    root = _crate(tmp_path / "crate")
    _history(root, 10)
    made = _chain(root)
    assert len(made) == 20  # each op's before is the validation just made (same tree)
    limits = StorageLimits(snapshot_cap_mb=2, undo_history_ops=2)
    plan = gc.collect(root, dry_run=True, limits=limits, now=second + 2 * gc.GRACE_S)
    dropped = [r.path for r in plan.removals if r.kind == "snapshots"]
    kept_by_history = {s for o in oplog.history(root)[-2:] for s in (o.snapshot_before, o.snapshot_after)}
    droppable = [s for s in made[:-1] if s not in kept_by_history]  # the latest is always kept
    assert len(dropped) >= 5
    assert dropped == droppable[: len(dropped)]


def test_gc_after_apply_runs_only_over_the_cap_and_notes_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("RUSTA_CACHE_DIR", str(tmp_path / "cache"))
    root = _crate(tmp_path / "crate")
    _history(root, 2)
    (root / ".rusta" / "settings.toml").write_text('snapshot_cap_mb = 64\nmode = "pair"\n')
    assert gc.limits_for(root).snapshot_cap_mb == 64
    before = _listing(snaps.store_path(root))
    (tmp_path / "cache").mkdir()
    (tmp_path / "cache" / "gc.stamp").touch()  # the cache was just looked at
    assert gc.after_apply(root) is None
    assert _listing(snaps.store_path(root)) == before

    (root / ".rusta" / "settings.toml").write_text("snapshot_cap_mb = 0\nundo_history_ops = 1\n")
    rep = gc.after_apply(root)
    assert rep is not None and [r.kind for r in rep.rows] == ["snapshots"]
    log = DevLog.open(root, readonly=True)
    notes = [e for e in log.entries() if e.kind == "note" and e.payload.get("via") == "gc"]
    log.close()
    assert notes and notes[-1].summary.startswith("gc after apply freed")
    back = msgspec.convert(notes[-1].payload["gc"], type=gc.GcReport)
    assert back.rows[0].freed == rep.rows[0].freed > 0
    api.undo(root)  # the one op left in the undo history still undoes
    assert snaps.read_file(root, oplog.history(root)[-1].snapshot_after, "src/lib.rs") is not None


def test_broken_caps_are_one_sentence(tmp_path: Path) -> None:
    root = _crate(tmp_path / "crate")
    (root / ".rusta").mkdir()
    (root / ".rusta" / "settings.toml").write_text("undo_history_ops = 'many'\n")
    with pytest.raises(gc.GcError, match="settings.toml"):
        gc.limits_for(root)
