"""Rusta's snapshot store: the working tree's files as git objects in a bare repo of Rusta's own.

The store lives at `<root>/.rusta/snapshots.git` and is written with dulwich directly (blobs, trees,
commits with explicit author and timestamps, refs under `refs/rusta/`). The user's HEAD, index,
stash and branches are never read for writing and never touched; the user's repo is only asked,
read-only, which files it tracks or ignores (`git ls-files`, which never rewrites the index). A
directory that is not a git repo works too: its `.gitignore` files are read with dulwich's matcher.

Snapshots are incremental: a stat cache (path -> mtime, ctime, size, inode, mode -> blob id) means
only changed files are read and hashed. Entries younger than `RACY_NS` at hashing time are never
trusted, as in git, because a later write within the same timestamp tick could keep the same stat.
Which files count, and how files are replaced atomically, is `diary.worktree`'s business; names
from there are re-exported here so callers need one module.

Durability: dulwich fsyncs each object file (`core.fsyncObjectFiles`) but not the folders that
name them, so after a power loss a fsynced object could still be missing. Every write here fsyncs
the folders that gained an entry (`objects/xx/`, `objects/` when `xx/` is new, `objects/pack/`, the
ref's folders) before `snapshot`/`derive` return, that is before the DevLog records the op.
`diary.gc` collects what no op needs; a commit's parent may then be gone (nothing reads parents
but `_commit`, which only reads the latest).
"""

from __future__ import annotations

import contextlib
import json
import os
import stat
import time
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path

import msgspec
from dulwich.file import FileLocked
from dulwich.objects import Blob, Commit, ObjectID, Tree
from dulwich.repo import Repo

from diary.gitobjects import commit_at, oid, ref, tree_at
from diary.rustadir import ensure_rusta_dir
from diary.segments import fsync_dir
from diary.storedir import STORE_DIR, open_store, store_path
from diary.worktree import (
    EXCLUDED_TOP,
    MODE_EXEC,
    MODE_FILE,
    MODE_LINK,
    MODE_TREE,
    TMP_MARK,
    FileEntry,
    SnapshotError,
    atomic_write_bytes,
    current_entry,
    file_lock,
    git_toplevel,
    list_files,
    prune_empty_dirs,
    read_entry,
    remove_stray_temps,
    utf8_name,
    write_entry,
)

__all__ = [
    "EXCLUDED_TOP",
    "MODE_EXEC",
    "MODE_FILE",
    "MODE_LINK",
    "MODE_TREE",
    "TMP_MARK",
    "FileEntry",
    "SnapshotError",
    "SnapshotId",
    "current_entry",
    "derive",
    "file_lock",
    "fsync_new_entries",
    "diff",
    "entries",
    "git_toplevel",
    "list_files",
    "open_locked",
    "prune_empty_dirs",
    "read_blob",
    "read_blobs",
    "read_file",
    "remove_stray_temps",
    "restore_paths",
    "snapshot",
    "snapshot_entries",
    "stat_cache_blobs",
    "store_path",
    "utf8_name",
    "write_entry",
    "writer_lock",
]

SnapshotId = str  # 40 hex digits: the id of a commit in Rusta's store

LATEST_REF = ref(b"refs/rusta/snapshots/latest")
AUTHOR = b"Rusta <rusta@localhost>"
RACY_NS = 100_000_000  # 100 ms: well above the kernel's coarse timestamp tick


class _CacheItem(msgspec.Struct, frozen=True, array_like=True):
    mtime_ns: int
    ctime_ns: int
    size: int
    ino: int
    st_mode: int
    blob: str


class _StatCache(msgspec.Struct, kw_only=True):
    version: int = 1
    items: dict[str, _CacheItem] = msgspec.field(default_factory=dict)


_CACHE_ENC = msgspec.msgpack.Encoder()
_CACHE_DEC = msgspec.msgpack.Decoder(_StatCache)


@contextlib.contextmanager
def writer_lock(root: Path) -> Iterator[None]:
    """One writer at a time per store, across processes. Under it, a dulwich lock file can only be
    one a killed writer left (`diary.storelocks`): met here, it is said in one sentence."""
    ensure_rusta_dir(root)
    with file_lock(root / STORE_DIR / "snapshots.lock"):
        try:
            yield
        except FileLocked as e:
            name = os.path.relpath(os.fsdecode(e.lockfilename), store_path(root))
            raise SnapshotError(
                f"Rusta's snapshot store holds {name}, left by a Rusta process that was killed while "
                "writing; the next `rusta history` (or any Rusta command that recovers) removes it."
            ) from e


@contextlib.contextmanager
def open_locked(root: str | Path) -> Iterator[Repo]:
    """The store under its writer lock, for `diary.gc`, which rewrites it."""
    root = Path(root).resolve()
    with writer_lock(root):
        repo = open_store(root)
        try:
            yield repo
        finally:
            repo.close()


def fsync_new_entries(store, ids: Iterable[bytes], packed: bool) -> None:
    """Fsync the folders that now name the objects `ids`, so the entries outlive a power loss."""
    objects = Path(store.path)
    if packed:
        fsync_dir(objects / "pack")
        return
    for sub in sorted({i[:2].decode() for i in ids}):
        fsync_dir(objects / sub)
    fsync_dir(objects)  # names `xx/` when it was made now; cheap when it was not


def _load_cache(root: Path) -> _StatCache:
    path = store_path(root) / "rusta-statcache.msgpack"
    try:
        return _CACHE_DEC.decode(path.read_bytes())
    except (OSError, msgspec.DecodeError, msgspec.ValidationError):
        return _StatCache()


def stat_cache_blobs(root: str | Path) -> set[str]:
    """Blobs the stat cache vouches for: the next snapshot reuses them unread, so gc must keep them."""
    return {i.blob for i in _load_cache(Path(root)).items.values()}


def _save_cache(root: Path, cache: _StatCache) -> None:
    atomic_write_bytes(
        store_path(root) / "rusta-statcache.msgpack", _CACHE_ENC.encode(cache), 0o644, fsync=False
    )


def _perm_note(st_mode: int) -> int | None:
    perm = stat.S_IMODE(st_mode)
    return None if perm in (0o644, 0o755) else perm


def snapshot(root: str | Path, message: str = "snapshot") -> SnapshotId:
    """Record the working tree's files in Rusta's store; return the commit id. Touches no user file."""
    return snapshot_entries(root, message)[0]


def snapshot_entries(root: str | Path, message: str = "snapshot") -> tuple[SnapshotId, dict[str, FileEntry]]:
    """`snapshot`, also returning its files, which saves reading back the trees just written."""
    root = Path(root).resolve()
    with writer_lock(root):
        repo = open_store(root)
        try:
            cache = _load_cache(root)
            store = repo.object_store
            new_items: dict[str, _CacheItem] = {}
            entries: list[FileEntry] = []
            pending: list[Blob] = []
            now = time.time_ns()
            base = str(root) + os.sep
            for rel in list_files(root):
                try:
                    st = os.lstat(base + rel)
                except FileNotFoundError:
                    continue  # vanished while listing
                old = cache.items.get(rel)
                if old is not None and (old.mtime_ns, old.ctime_ns, old.size, old.ino, old.st_mode) == (
                    st.st_mtime_ns,
                    st.st_ctime_ns,
                    st.st_size,
                    st.st_ino,
                    st.st_mode,
                ):  # the cache lives inside the store, so its blobs are there
                    blob_id = old.blob
                    mode = (
                        MODE_LINK
                        if stat.S_ISLNK(st.st_mode)
                        else (MODE_EXEC if st.st_mode & 0o111 else MODE_FILE)
                    )
                else:
                    mode, data = read_entry(root, rel, st)
                    blob = Blob.from_string(data)
                    blob_id = blob.id.decode()
                    if blob.id not in store:
                        pending.append(blob)
                # a name that is not UTF-8 stays out of the cache: it is hashed again next time
                fresh = now - st.st_mtime_ns > RACY_NS and now - st.st_ctime_ns > RACY_NS
                if fresh and utf8_name(rel):
                    new_items[rel] = _CacheItem(
                        st.st_mtime_ns, st.st_ctime_ns, st.st_size, st.st_ino, st.st_mode, blob_id
                    )
                perm = None if mode == MODE_LINK else _perm_note(st.st_mode)
                entries.append(FileEntry(path=rel, mode=mode, blob=blob_id, perm=perm))
            _add_objects(store, pending)
            snap = _commit(repo, entries, message)
            _save_cache(root, _StatCache(items=new_items))
            return snap, {e.path: e for e in entries}
        finally:
            repo.close()


def _add_objects(store, objs: list) -> None:
    """Loose objects for a few (fsynced by dulwich), one pack for many (one fsync, not thousands);
    then the folders that name them (see the module docstring)."""
    unique = {o.id: o for o in objs}
    if not unique:
        return
    packed = len(unique) > 64
    if packed:
        store.add_objects([(o, None) for o in unique.values()])
    else:
        for o in unique.values():
            store.add_object(o)
    fsync_new_entries(store, unique, packed)


def _set_latest(repo: Repo, commit_id: ObjectID) -> None:
    """Point the latest ref at `commit_id`; fsync its folder and, the first time, the ones above."""
    ref_file = Path(repo.controldir()) / os.fsdecode(LATEST_REF)
    new = [
        d for d in (ref_file.parent, ref_file.parent.parent, ref_file.parent.parent.parent) if not d.exists()
    ]
    repo.refs[LATEST_REF] = commit_id
    fsync_dir(ref_file.parent)
    for d in new:
        fsync_dir(d.parent)


def _build_trees(entries: Iterable[FileEntry], out: list) -> ObjectID:
    """Nested dulwich Trees for flat entries; returns the root tree id, trees appended to `out`."""
    root: dict = {}
    for e in entries:
        parts = e.path.split("/")
        node = root
        for p in parts[:-1]:
            node = node.setdefault(p, {})
            if not isinstance(node, dict):
                raise SnapshotError(f"{e.path}: a file and a folder share a name in the snapshot.")
        node[parts[-1]] = e

    def build(node: dict) -> ObjectID:
        tree = Tree()
        for name, child in node.items():
            if isinstance(child, dict):
                tree.add(os.fsencode(name), MODE_TREE, build(child))
            else:
                tree.add(os.fsencode(name), child.mode, oid(child.blob.encode()))
        out.append(tree)
        return tree.id

    return build(root)


def _commit(repo: Repo, entries: list[FileEntry], message: str) -> SnapshotId:
    trees: list = []
    tree_id = _build_trees(entries, trees)
    perms = {e.path: e.perm for e in entries if e.perm is not None}
    try:
        parent = repo.refs[LATEST_REF]
    except KeyError:
        parent = None
    if parent is not None:
        prev = commit_at(repo, parent)
        if (
            prev.tree == tree_id
            and json.loads(prev.message.decode().split("\n\n", 1)[1]).get("perms", {}) == perms
        ):
            return parent.decode()
    _add_objects(repo.object_store, [t for t in trees if t.id not in repo.object_store])
    c = Commit()
    c.tree = tree_id
    c.parents = [parent] if parent else []
    c.author = c.committer = AUTHOR
    c.author_time = c.commit_time = int(time.time())
    c.author_timezone = c.commit_timezone = 0
    c.message = (
        f"rusta {message}\n\n".encode() + json.dumps({"perms": perms}, sort_keys=True).encode() + b"\n"
    )
    _add_objects(repo.object_store, [c])
    _set_latest(repo, c.id)
    return c.id.decode()


def derive(
    root: str | Path, base: SnapshotId, changes: dict[str, tuple[int, bytes] | None], message: str
) -> SnapshotId:
    """A new snapshot = `base` with `changes` (path -> (git mode, bytes), or None to delete).

    Used to record the after-state of a patch before a single user file is written.
    """
    root = Path(root).resolve()
    with writer_lock(root):
        repo = open_store(root)
        try:
            by_path = {e.path: e for e in _entries(repo, base)}
            blobs = []
            for path, change in changes.items():
                if change is None:
                    by_path.pop(path, None)
                    continue
                mode, data = change
                blob = Blob.from_string(data)
                blobs.append(blob)
                old = by_path.get(path)
                by_path[path] = FileEntry(
                    path=path, mode=mode, blob=blob.id.decode(), perm=old.perm if old else None
                )
            _add_objects(repo.object_store, [b for b in blobs if b.id not in repo.object_store])
            return _commit(repo, sorted(by_path.values(), key=lambda e: e.path), message)
        finally:
            repo.close()


def _entries(repo: Repo, snap: SnapshotId) -> list[FileEntry]:
    try:
        commit = commit_at(repo, snap.encode())
    except KeyError as e:
        raise SnapshotError(
            f"snapshot {snap[:12]} is not in Rusta's store; `rusta gc` collects the snapshots of ops "
            "past the end of the undo history, which `rusta history` shows."
        ) from e
    perms = json.loads(commit.message.decode().split("\n\n", 1)[1]).get("perms", {})
    out: list[FileEntry] = []

    def walk(tree_id: bytes, prefix: str) -> None:
        for item in tree_at(repo, tree_id).iteritems():
            name = prefix + os.fsdecode(item.path)
            if item.mode == MODE_TREE:
                walk(item.sha, name + "/")
            else:
                out.append(FileEntry(path=name, mode=item.mode, blob=item.sha.decode(), perm=perms.get(name)))

    walk(commit.tree, "")
    return out


def entries(root: str | Path, snap: SnapshotId) -> dict[str, FileEntry]:
    repo = open_store(Path(root).resolve(), create=False)
    try:
        return {e.path: e for e in _entries(repo, snap)}
    finally:
        repo.close()


def read_blob(root: str | Path, blob_id: str) -> bytes:
    repo = open_store(Path(root).resolve(), create=False)
    try:
        return repo[blob_id.encode()].as_raw_string()
    except KeyError as e:
        raise SnapshotError(f"blob {blob_id[:12]} is missing from Rusta's store.") from e
    finally:
        repo.close()


def read_blobs(root: str | Path, blob_ids: Iterable[str]) -> dict[str, bytes]:
    """Many blobs with one open of the store (a sandbox's first copy reads them all)."""
    repo = open_store(Path(root).resolve(), create=False)
    try:
        return {b: repo[b.encode()].as_raw_string() for b in set(blob_ids)}
    except KeyError as e:
        raise SnapshotError(f"blob {e.args[0]!r} is missing from Rusta's store.") from e
    finally:
        repo.close()


def read_file(root: str | Path, snap: SnapshotId, path: str) -> bytes | None:
    """The bytes of `path` in a snapshot (a symlink's target for links); None when it was absent."""
    e = entries(root, snap).get(path)
    return None if e is None else read_blob(root, e.blob)


def diff(root: str | Path, snap_a: SnapshotId, snap_b: SnapshotId) -> tuple[str, ...]:
    """Paths added, removed or changed (content, mode or permissions) from `snap_a` to `snap_b`."""
    a, b = entries(root, snap_a), entries(root, snap_b)
    return tuple(sorted(p for p in set(a) | set(b) if a.get(p) != b.get(p)))


def restore_paths(
    root: str | Path,
    snap: SnapshotId,
    paths: Iterable[str],
    after_each: Callable[[str], None] | None = None,
) -> tuple[str, ...]:
    """Make each path match the snapshot (written, or deleted when the snapshot lacks it).

    Returns the paths that changed. `after_each(path)` runs after each file; crash tests hook it.
    """
    root = Path(root).resolve()
    snap_entries = entries(root, snap)
    changed = []
    for rel in paths:
        want = snap_entries.get(rel)
        have = current_entry(root, rel)
        if want is None and have is None:
            continue
        if (
            want is not None
            and have == (want.mode, want.blob)
            and (
                want.perm is None
                or want.mode == MODE_LINK
                or stat.S_IMODE(os.lstat(root / rel).st_mode) == want.perm
            )
        ):
            continue
        try:
            write_entry(root, rel, want, None if want is None else read_blob(root, want.blob))
        except OSError as e:
            raise SnapshotError(f"cannot write {rel}: {e.strerror or e}.") from e
        changed.append(rel)
        if after_each is not None:
            after_each(rel)
    return tuple(changed)
