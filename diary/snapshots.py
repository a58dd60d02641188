"""Rusta's snapshot store: the working tree's files as git objects in a bare repo of Rusta's own.

The store lives at `<root>/.rusta/snapshots.git` and is written with dulwich directly (blobs, trees,
commits with explicit author and timestamps, refs under `refs/rusta/`). The user's HEAD, index,
stash and branches are never read for writing and never touched; the user's repo is only asked,
read-only, which files it tracks or ignores (`git ls-files`, which never rewrites the index). A
directory that is not a git repo works too: its `.gitignore` files are read with dulwich's matcher.

Snapshots are incremental: a stat cache (path -> mtime, ctime, size, inode, mode -> blob id) means
only changed files are read and hashed. Entries younger than `RACY_NS` at hashing time are never
trusted, as in git, because a later write within the same timestamp tick could keep the same stat.
Restores replace files atomically (temp file in the same folder, fsync, rename, fsync folder).
"""

from __future__ import annotations

import contextlib
import fcntl
import json
import os
import stat
import time
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path

import msgspec
from dulwich.ignore import IgnoreFilterManager
from dulwich.objects import Blob, Commit, Tree
from dulwich.repo import Repo

from diary.errors import DiaryError
from toolbelt.process import run_limited

SnapshotId = str  # 40 hex digits: the id of a commit in Rusta's store

STORE_DIR = ".rusta"
STORE_NAME = "snapshots.git"
LATEST_REF = b"refs/rusta/snapshots/latest"
AUTHOR = b"Rusta <rusta@localhost>"
EXCLUDED_TOP = (".rusta", "target", ".git")
RACY_NS = 100_000_000  # 100 ms: well above the kernel's coarse timestamp tick
TMP_MARK = ".rusta-tmp-"

MODE_FILE = 0o100644
MODE_EXEC = 0o100755
MODE_LINK = 0o120000
MODE_TREE = 0o040000


class SnapshotError(DiaryError):
    """The snapshot store cannot read, write or restore what was asked."""


class FileEntry(msgspec.Struct, frozen=True, kw_only=True):
    """One file of a snapshot: git mode (644, 755 or symlink), blob id, exact permission bits."""

    path: str
    mode: int
    blob: str
    perm: int | None = None


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


# --- locations ------------------------------------------------------------------------------------


def store_path(root: str | Path) -> Path:
    return Path(root) / STORE_DIR / STORE_NAME


def ensure_rusta_dir(root: str | Path) -> Path:
    """Create `<root>/.rusta/` with a `.gitignore` of `*`, so the user's `git status` never lists it."""
    d = Path(root) / STORE_DIR
    d.mkdir(parents=True, exist_ok=True)
    gi = d / ".gitignore"
    if not gi.exists():
        _atomic_write_bytes(gi, b"# Rusta's own files; never part of your repo.\n*\n", 0o644)
    return d


def git_toplevel(root: str | Path) -> Path | None:
    """The enclosing git work tree, found by walking up to a `.git` entry (no process, no lock)."""
    p = Path(root).resolve()
    for d in (p, *p.parents):
        if (d / ".git").exists():
            return d
    return None


@contextlib.contextmanager
def _locked(root: Path) -> Iterator[None]:
    """One writer at a time per store, across processes (released by the kernel on kill -9)."""
    ensure_rusta_dir(root)
    fd = os.open(root / STORE_DIR / "snapshots.lock", os.O_RDWR | os.O_CREAT, 0o644)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        os.close(fd)


def _open_repo(root: Path) -> Repo:
    path = store_path(root)
    try:
        if (path / "objects").is_dir():
            return Repo(str(path))
        ensure_rusta_dir(root)
        repo = Repo.init_bare(str(path), mkdir=True)
        cfg = repo.get_config()
        cfg.set((b"core",), b"fsyncObjectFiles", True)
        cfg.write_to_path()
        return Repo(str(path))
    except OSError as e:
        raise SnapshotError(f"cannot open Rusta's snapshot store at {path}: {e.strerror or e}.") from e


# --- listing the working tree ---------------------------------------------------------------------


def _excluded(rel: str) -> bool:
    top = rel.split("/", 1)[0]
    return top in EXCLUDED_TOP or TMP_MARK in rel.rsplit("/", 1)[-1]


def list_files(root: str | Path) -> list[str]:
    """Tracked plus untracked-not-ignored files under `root`, as sorted '/'-separated paths."""
    root = Path(root)
    if git_toplevel(root) is not None:
        paths = _git_files(root)
    else:
        paths = _walk_files(root)
    return sorted(p for p in set(paths) if not _excluded(p))


def _git_files(root: Path) -> list[str]:
    env = dict(os.environ, GIT_OPTIONAL_LOCKS="0", LC_ALL="C")
    proc = run_limited(
        [
            "git",
            "ls-files",
            "-z",
            "--cached",
            "--others",
            "--exclude-standard",
            "--exclude=/target/",
            "--exclude=/.rusta/",
        ],
        cwd=root,
        env=env,
        timeout_s=60,
    )
    if proc.outcome != "ok":
        err = proc.stderr.decode("utf-8", "replace").strip().splitlines()
        raise SnapshotError(f"`git ls-files` failed in {root}: {err[-1] if err else proc.outcome}.")
    out = []
    base = str(root) + os.sep
    for raw in proc.stdout.split(b"\0"):
        if not raw or raw.endswith(b"/"):  # empty or a nested repository
            continue
        rel = os.fsdecode(raw)
        try:
            st = os.lstat(base + rel)
        except FileNotFoundError:  # tracked but deleted in the work tree
            continue
        if stat.S_ISREG(st.st_mode) or stat.S_ISLNK(st.st_mode):
            out.append(rel)
    return out


def _walk_files(root: Path) -> list[str]:
    ignore = IgnoreFilterManager(str(root), [], False)
    out: list[str] = []
    for dirpath, dirnames, filenames in os.walk(root):
        rel_dir = os.path.relpath(dirpath, root).replace(os.sep, "/")
        prefix = "" if rel_dir == "." else rel_dir + "/"
        keep = []
        for d in sorted(dirnames):
            rel = prefix + d
            if os.path.islink(os.path.join(dirpath, d)):
                filenames.append(d)  # a symlink to a folder is stored as a link
            elif not (prefix == "" and d in EXCLUDED_TOP) and not ignore.is_ignored(rel + "/"):
                keep.append(d)
        dirnames[:] = keep
        for f in filenames:
            rel = prefix + f
            if not ignore.is_ignored(rel):
                st = os.lstat(os.path.join(dirpath, f))
                if stat.S_ISREG(st.st_mode) or stat.S_ISLNK(st.st_mode):
                    out.append(rel)
    return out


# --- hashing --------------------------------------------------------------------------------------


def _read_entry(root: Path, rel: str, st: os.stat_result) -> tuple[int, bytes]:
    full = root / rel
    if stat.S_ISLNK(st.st_mode):
        return MODE_LINK, os.fsencode(os.readlink(full))
    mode = MODE_EXEC if st.st_mode & 0o111 else MODE_FILE
    with open(full, "rb") as f:
        return mode, f.read()


def current_entry(root: str | Path, rel: str) -> tuple[int, str] | None:
    """(git mode, blob id) of the file as it is now, read fresh (no cache); None when absent."""
    root = Path(root)
    try:
        st = os.lstat(root / rel)
    except (FileNotFoundError, NotADirectoryError):
        return None
    if stat.S_ISDIR(st.st_mode):
        return (MODE_TREE, "")
    mode, data = _read_entry(root, rel, st)
    return mode, Blob.from_string(data).id.decode()


def _load_cache(root: Path) -> _StatCache:
    path = store_path(root) / "rusta-statcache.msgpack"
    try:
        return _CACHE_DEC.decode(path.read_bytes())
    except (OSError, msgspec.DecodeError, msgspec.ValidationError):
        return _StatCache()


def _save_cache(root: Path, cache: _StatCache) -> None:
    _atomic_write_bytes(
        store_path(root) / "rusta-statcache.msgpack", _CACHE_ENC.encode(cache), 0o644, fsync=False
    )


# --- writing snapshots ----------------------------------------------------------------------------


def _perm_note(st_mode: int) -> int | None:
    perm = stat.S_IMODE(st_mode)
    return None if perm in (0o644, 0o755) else perm


def snapshot(root: str | Path, message: str = "snapshot") -> SnapshotId:
    """Record the working tree's files in Rusta's store; return the commit id. Touches no user file."""
    root = Path(root).resolve()
    with _locked(root):
        repo = _open_repo(root)
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
                    st.st_mtime_ns, st.st_ctime_ns, st.st_size, st.st_ino, st.st_mode
                ):  # the cache lives inside the store, so its blobs are there
                    blob_id = old.blob
                    mode = (
                        MODE_LINK
                        if stat.S_ISLNK(st.st_mode)
                        else (MODE_EXEC if st.st_mode & 0o111 else MODE_FILE)
                    )
                else:
                    mode, data = _read_entry(root, rel, st)
                    blob = Blob.from_string(data)
                    blob_id = blob.id.decode()
                    if blob.id not in store:
                        pending.append(blob)
                if now - st.st_mtime_ns > RACY_NS and now - st.st_ctime_ns > RACY_NS:
                    new_items[rel] = _CacheItem(
                        st.st_mtime_ns, st.st_ctime_ns, st.st_size, st.st_ino, st.st_mode, blob_id
                    )
                perm = None if mode == MODE_LINK else _perm_note(st.st_mode)
                entries.append(FileEntry(path=rel, mode=mode, blob=blob_id, perm=perm))
            _add_objects(store, pending)
            snap = _commit(repo, entries, message)
            _save_cache(root, _StatCache(items=new_items))
            return snap
        finally:
            repo.close()


def _add_objects(store, objs: list) -> None:
    """Loose objects for a few (fsynced by dulwich), one pack for many (one fsync, not thousands)."""
    unique = {o.id: o for o in objs}
    if len(unique) > 64:
        store.add_objects([(o, None) for o in unique.values()])
    else:
        for o in unique.values():
            store.add_object(o)


def _build_trees(entries: Iterable[FileEntry], out: list) -> bytes:
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

    def build(node: dict) -> bytes:
        tree = Tree()
        for name, child in node.items():
            if isinstance(child, dict):
                tree.add(os.fsencode(name), MODE_TREE, build(child))
            else:
                tree.add(os.fsencode(name), child.mode, child.blob.encode())
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
        prev = repo[parent]
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
    repo.object_store.add_object(c)
    repo.refs[LATEST_REF] = c.id
    return c.id.decode()


def derive(
    root: str | Path, base: SnapshotId, changes: dict[str, tuple[int, bytes] | None], message: str
) -> SnapshotId:
    """A new snapshot = `base` with `changes` (path -> (git mode, bytes), or None to delete).

    Used to record the after-state of a patch before a single user file is written.
    """
    root = Path(root).resolve()
    with _locked(root):
        repo = _open_repo(root)
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


# --- reading snapshots ----------------------------------------------------------------------------


def _entries(repo: Repo, snap: SnapshotId) -> list[FileEntry]:
    try:
        commit = repo[snap.encode()]
    except KeyError as e:
        raise SnapshotError(f"snapshot {snap[:12]} is not in Rusta's store.") from e
    perms = json.loads(commit.message.decode().split("\n\n", 1)[1]).get("perms", {})
    out: list[FileEntry] = []

    def walk(tree_id: bytes, prefix: str) -> None:
        for item in repo[tree_id].iteritems():
            name = prefix + os.fsdecode(item.path)
            if item.mode == MODE_TREE:
                walk(item.sha, name + "/")
            else:
                out.append(FileEntry(path=name, mode=item.mode, blob=item.sha.decode(), perm=perms.get(name)))

    walk(commit.tree, "")
    return out


def entries(root: str | Path, snap: SnapshotId) -> dict[str, FileEntry]:
    repo = _open_repo(Path(root).resolve())
    try:
        return {e.path: e for e in _entries(repo, snap)}
    finally:
        repo.close()


def read_blob(root: str | Path, blob_id: str) -> bytes:
    repo = _open_repo(Path(root).resolve())
    try:
        return repo[blob_id.encode()].as_raw_string()
    except KeyError as e:
        raise SnapshotError(f"blob {blob_id[:12]} is missing from Rusta's store.") from e
    finally:
        repo.close()


def read_blobs(root: str | Path, blob_ids: Iterable[str]) -> dict[str, bytes]:
    """Many blobs with one open of the store (a sandbox's first copy reads them all)."""
    repo = _open_repo(Path(root).resolve())
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


# --- restoring ------------------------------------------------------------------------------------


def _fsync_dir(d: Path) -> None:
    fd = os.open(d, os.O_RDONLY | os.O_DIRECTORY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _tmp_name(path: Path) -> Path:
    return path.with_name(f".{path.name}{TMP_MARK}{os.getpid()}-{time.monotonic_ns()}")


def _atomic_write_bytes(path: Path, data: bytes, perm: int, fsync: bool = True) -> None:
    tmp = _tmp_name(path)
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    try:
        view = memoryview(data)
        while view:
            view = view[os.write(fd, view) :]
        os.fchmod(fd, perm)
        if fsync:
            os.fsync(fd)
    except BaseException:
        os.close(fd)
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise
    os.close(fd)
    os.replace(tmp, path)
    if fsync:
        _fsync_dir(path.parent)


def _make_dirs(root: Path, d: Path, sync: Callable[[Path], None]) -> None:
    missing = []
    while not d.exists():
        missing.append(d)
        d = d.parent
    for m in reversed(missing):
        m.mkdir()
        sync(m.parent)


def _umask() -> int:
    old = os.umask(0o022)
    os.umask(old)
    return old


def write_entry(root: Path, rel: str, entry: FileEntry | None, data: bytes | None, durable: bool = True) -> None:
    """Make `rel` hold exactly `entry` (None: absent), by atomic replace; never edits a file in place.

    `durable=False` skips the fsyncs, for Rusta's own scratch copies only.
    """
    sync = _fsync_dir if durable else (lambda d: None)
    full = root / rel
    if entry is None:
        try:
            st = os.lstat(full)
        except (FileNotFoundError, NotADirectoryError):
            return
        if stat.S_ISDIR(st.st_mode):
            raise SnapshotError(f"{rel} is a folder now; Rusta will not remove a folder.")
        os.unlink(full)
        sync(full.parent)
        d = full.parent
        while d != root and d.is_dir() and not any(d.iterdir()):  # folders the patch had created
            d.rmdir()
            sync(d.parent)
            d = d.parent
        return
    assert data is not None
    _make_dirs(root, full.parent, sync)
    if full.is_dir() and not full.is_symlink():
        raise SnapshotError(f"{rel} is a folder now; Rusta will not replace a folder with a file.")
    if entry.mode == MODE_LINK:
        tmp = _tmp_name(full)
        os.symlink(os.fsdecode(data), tmp)
        os.replace(tmp, full)
        sync(full.parent)
        return
    if entry.perm is not None:
        perm = entry.perm
    else:
        perm = 0o666 & ~_umask()
        with contextlib.suppress(FileNotFoundError):
            st = os.lstat(full)
            if stat.S_ISREG(st.st_mode):
                perm = stat.S_IMODE(st.st_mode) & ~0o111
        if entry.mode == MODE_EXEC:
            perm |= (perm & 0o444) >> 2
    _atomic_write_bytes(full, data, perm, fsync=durable)


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


def remove_stray_temps(root: str | Path, paths: Iterable[str]) -> tuple[str, ...]:
    """Delete temp files a killed writer left beside `paths`; returns what it removed."""
    root = Path(root)
    removed = []
    for d in {(root / p).parent for p in paths}:
        if not d.is_dir():
            continue
        for child in d.iterdir():
            if TMP_MARK in child.name and child.name.startswith("."):
                child.unlink()
                removed.append(str(child.relative_to(root)))
    return tuple(sorted(removed))
