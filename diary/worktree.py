"""The user's working tree as Rusta sees it: which files count, and how they are read and replaced.

Which files: tracked plus untracked-not-ignored, asked read-only of git (`git ls-files`, which never
rewrites the index) inside a git repo, or found with dulwich's `.gitignore` matcher outside one;
`.rusta/`, `target/` and `.git/` never count. How they are written: never in place. A temp file in
the same folder is written, fsynced and renamed over the old one, then the folder is fsynced, so a
kill -9 leaves each file wholly old or wholly new, and a stray temp file at worst (`TMP_MARK`).
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import stat
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path

import msgspec
from dulwich.ignore import IgnoreFilterManager
from dulwich.objects import Blob

from diary.errors import DiaryError
from diary.segments import fsync_dir
from toolbelt.atomic_file import TMP_MARK, replace_file, temp_name
from toolbelt.errors import ToolMissing
from toolbelt.process import run_limited

EXCLUDED_TOP = (".rusta", "target", ".git")

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


def git_toplevel(root: str | Path) -> Path | None:
    """The enclosing git work tree, found by walking up to a `.git` entry (no process, no lock)."""
    p = Path(root).resolve()
    for d in (p, *p.parents):
        if (d / ".git").exists():
            return d
    return None


def _excluded(rel: str) -> bool:
    top = rel.split("/", 1)[0]
    return top in EXCLUDED_TOP or TMP_MARK in rel.rsplit("/", 1)[-1]


def list_files(root: str | Path) -> list[str]:
    """Tracked plus untracked-not-ignored files under `root`, as sorted '/'-separated paths."""
    root = Path(root)
    paths = None
    if git_toplevel(root) is not None and not _root_ignored(root):
        try:
            paths = _git_files(root)
        except ToolMissing:  # a repo but no git program: the .gitignore files still say what counts
            paths = None
    if paths is None:
        paths = _walk_files(root)
    return sorted(p for p in set(paths) if not _excluded(p))


def _root_ignored(root: Path) -> bool:
    """The repo around `root` ignores `root` itself (a crate kept in an ignored folder, like the demo
    under examples/): then git lists none of its files, and only the crate's own rules count."""
    top = git_toplevel(root)
    if top is None or top == root.resolve():
        return False
    try:
        proc = run_limited(
            ["git", "check-ignore", "-q", "."],
            cwd=root,
            env=dict(os.environ, GIT_OPTIONAL_LOCKS="0"),
            timeout_s=30,
        )
    except ToolMissing:
        return False
    return proc.returncode == 0


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


def read_entry(root: Path, rel: str, st: os.stat_result) -> tuple[int, bytes]:
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
    mode, data = read_entry(root, rel, st)
    return mode, Blob.from_string(data).id.decode()


def utf8_name(rel: str) -> bool:
    """Whether a listed path is valid UTF-8. Names come from the OS with surrogate escapes; trees take
    any bytes, but Rusta's JSON and msgpack caches cannot, so they skip such a file (it is simply
    read or copied again next time) instead of failing the snapshot or the validation."""
    try:
        rel.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def atomic_write_bytes(path: Path, data: bytes, perm: int, fsync: bool = True) -> None:
    """`toolbelt.atomic_file.replace_file` with exact permissions (the snapshot's), by its old name."""
    replace_file(path, data, perm=perm, durable=fsync)


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


def write_entry(
    root: Path, rel: str, entry: FileEntry | None, data: bytes | None, durable: bool = True
) -> None:
    """Make `rel` hold exactly `entry` (None: absent), by atomic replace; never edits a file in place.

    `durable=False` skips the fsyncs, for Rusta's own scratch copies only.
    """
    sync = fsync_dir if durable else (lambda d: None)
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
        prune_empty_dirs(root, rel, durable)
        return
    assert data is not None
    _make_dirs(root, full.parent, sync)
    if full.is_dir() and not full.is_symlink():
        raise SnapshotError(f"{rel} is a folder now; Rusta will not replace a folder with a file.")
    if entry.mode == MODE_LINK:
        tmp = temp_name(full)
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
    atomic_write_bytes(full, data, perm, fsync=durable)


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


@contextlib.contextmanager
def file_lock(path: Path, *, wait: bool = True) -> Iterator[bool]:
    """An exclusive flock on `path` (created if missing), released by the kernel even on kill -9.

    Yields False instead of blocking when `wait` is off and another process holds it.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | (0 if wait else fcntl.LOCK_NB))
        except BlockingIOError:
            yield False
            return
        yield True
    finally:
        os.close(fd)


def prune_empty_dirs(root: Path, rel: str, durable: bool = True) -> None:
    """Remove the folders above `rel` that are now empty (a patch had created them), up to `root`."""
    d = (root / rel).parent
    while d != root and d.is_dir() and not d.is_symlink() and not any(d.iterdir()):
        d.rmdir()
        if durable:
            fsync_dir(d.parent)
        d = d.parent
