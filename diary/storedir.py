"""The snapshot store's folder: made whole or not at all, and a half-made one made again.

dulwich's `Repo.init_bare` makes a store folder by folder (the store, branches/, hooks/, info/,
objects/, refs/, HEAD, the config). A process killed in between left a folder dulwich cannot
open, and every later snapshot failed on it. So the store is made in a temporary folder beside it,
fsynced, and renamed into place: it is there whole, or not at all. A store an older Rusta left
half made holds no object; it is made again under the store's writer lock (`remake_unborn`).
"""

from __future__ import annotations

import os
import shutil
import tempfile
import time
from pathlib import Path

from dulwich.errors import NotGitRepository
from dulwich.repo import Repo

from diary.rustadir import ensure_rusta_dir
from diary.segments import fsync_dir
from diary.worktree import SnapshotError

STORE_DIR = ".rusta"
STORE_NAME = "snapshots.git"
NEW_MARK = f"{STORE_NAME}.new-"  # the temporary folder a store is made in
NEW_GRACE_S = 60.0  # a temporary folder older than this belongs to no live maker


def store_path(root: str | Path) -> Path:
    return Path(root) / STORE_DIR / STORE_NAME


def open_store(root: Path, create: bool = True) -> Repo:
    """The crate's store, made first when there is none. Readers pass `create=False`: a reader that
    finds no store has nothing to read, and making one is a writer's act (it takes the writer lock)."""
    path = store_path(root)
    try:
        if not path.is_dir():
            if not create:
                raise SnapshotError(
                    f"Rusta has no snapshot store at {path}: no patch was applied to this crate yet, "
                    "so there is nothing to read back."
                )
            _make(root, path)
        return Repo(str(path))
    except NotGitRepository as e:
        raise SnapshotError(
            f"Rusta's snapshot store at {path} was left half made by a Rusta process that was killed "
            "while making it; the next `rusta history` (or any Rusta command that recovers) makes it again."
        ) from e
    except OSError as e:
        raise SnapshotError(f"cannot open Rusta's snapshot store at {path}: {e.strerror or e}.") from e


def remake_unborn(root: Path) -> bool:
    """Make the store again when it cannot be opened, or has no config yet, and holds no object (a
    kill while it was being made); True when it did. One that holds objects is never removed: that is said instead. The
    caller holds the store's writer lock. Temporary folders of makers long gone are removed too."""
    path = store_path(root)
    for old in path.parent.glob(f"{NEW_MARK}*"):
        if time.time() - old.stat().st_mtime > NEW_GRACE_S:
            shutil.rmtree(old, ignore_errors=True)
    if not path.is_dir():
        return False
    try:
        Repo(str(path)).close()
        if (path / "config").is_file():
            return False  # whole (the config, which asks for fsynced objects, is written last)
    except NotGitRepository:
        pass
    if any(files for _d, _dirs, files in os.walk(path / "objects")):
        raise SnapshotError(
            f"Rusta's snapshot store at {path} holds snapshots but cannot be opened as a git repository; "
            "move it aside to keep them (Rusta then starts a new one)."
        )
    aside = Path(tempfile.mkdtemp(prefix=NEW_MARK, dir=path.parent))
    os.rename(path, aside / STORE_NAME)
    _make(root, path)
    shutil.rmtree(aside)
    return True


def _make(root: Path, path: Path) -> None:
    """Build the store in a temporary folder, fsync every entry, then rename it into place. Another
    process that made it first wins; this one's copy is dropped."""
    ensure_rusta_dir(root)
    tmp = Path(tempfile.mkdtemp(prefix=NEW_MARK, dir=path.parent))
    try:
        repo = Repo.init_bare(str(tmp))
        cfg = repo.get_config()
        cfg.set((b"core",), b"fsyncObjectFiles", True)
        cfg.write_to_path()
        repo.close()
        _fsync_tree(tmp)
        try:
            os.rename(tmp, path)  # replaces nothing but an empty folder
        except OSError:
            if not (path / "objects").is_dir():
                raise
        fsync_dir(path.parent)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def _fsync_tree(path: Path) -> None:
    """Every file and folder of a new store, so the rename names a store that is all on disk."""
    for d, _dirs, files in os.walk(path, topdown=False):
        for f in files:
            fd = os.open(os.path.join(d, f), os.O_RDONLY)
            try:
                os.fsync(fd)
            finally:
                os.close(fd)
        fsync_dir(Path(d))
