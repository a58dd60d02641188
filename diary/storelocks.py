"""Dulwich's leftovers in Rusta's snapshot store: the lock and temporary files a killed writer leaves.

Dulwich writes a ref, a loose object, a pack index or the config through a `<name>.lock` file made
with O_EXCL and renamed over `<name>` when done, and a pack through a temporary file. A writer
killed in between (kill -9, power loss) leaves that file behind, and the next write of the same
name fails with `FileLocked`: the ref `latest` is written by every snapshot, and a loose object is
written again whenever the same content comes back, so one stale lock stops every apply and undo.

Every writer of the store holds its flock (`snapshots.writer_lock`, released by the kernel when the
process dies), so what is found under that flock belongs to no live writer and is removed.
"""

from __future__ import annotations

import os
from pathlib import Path

from diary import snapshots as snaps
from diary.segments import fsync_dir
from diary.storedir import remake_unborn
from diary.types import StoreRepair

LOCK_SUFFIX = ".lock"  # dulwich.file.GitFile's, as git's


def leftovers(store: Path) -> list[Path]:
    """Lock files anywhere in the store, temporary packs, and packs whose index was never written."""
    found: list[Path] = []
    for d, _dirs, files in os.walk(store):
        folder = Path(d)
        names = set(files)
        for name in files:
            if name.endswith(LOCK_SUFFIX) or (folder.name == "objects" and name.startswith("tmp_pack_")):
                found.append(folder / name)
            elif (
                folder.name == "pack"
                and name.endswith(".pack")
                and name.removesuffix(".pack") + ".idx" not in names
            ):
                found.append(folder / name)
    return sorted(found)


def clear_stale(root: str | Path) -> StoreRepair:
    """Under the store's writer lock: make a half-made store again, and remove what `leftovers`
    finds. A crate without a store has nothing to put right."""
    root = Path(root).resolve()
    store = snaps.store_path(root)
    if not store.parent.is_dir():
        return StoreRepair()
    with snaps.writer_lock(root):
        remade = remake_unborn(root)
        found = leftovers(store) if store.is_dir() else []
        for p in found:
            p.unlink(missing_ok=True)
        for d in sorted({p.parent for p in found}):
            fsync_dir(d)  # a lock that came back after a power loss would stop writes again
    return StoreRepair(remade=remade, removed=tuple(str(p.relative_to(store)) for p in found))
