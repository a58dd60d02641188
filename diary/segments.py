"""File-system edge of the DevLog: segment files, durable writes, the writer lock, quarantine.

Durability rules (the same as SQLite's and LevelDB's): a record is acknowledged only after the
segment file is fsynced; creating, renaming or removing a segment is followed by an fsync of the
directory, so the name itself survives power loss.
"""

from __future__ import annotations

import contextlib
import errno
import fcntl
import os
import re
import time
from collections.abc import Iterator
from pathlib import Path

from diary import frames
from diary.errors import DiaryFull, DiaryIOError
from toolbelt.atomic_file import TMP_MARK, fsync_dir, fsync_fd, replace_file

__all__ = ["TMP_MARK", "fsync_dir", "fsync_fd"]  # the diary's names for them, kept

SEGMENT_RE = re.compile(r"^seg-(\d{8})\.log$")
FULL_ERRNOS = {errno.ENOSPC, errno.EFBIG, errno.EDQUOT}


def log_dir(root: str | Path) -> Path:
    return Path(root) / ".rusta" / "devlog"


def segment_name(n: int) -> str:
    return f"seg-{n:08d}.log"


def list_segments(d: Path) -> list[tuple[int, Path]]:
    """Segment files in order of their number."""
    out = []
    try:
        names = os.listdir(d)
    except FileNotFoundError:
        return []
    for name in names:
        m = SEGMENT_RE.match(name)
        if m:
            out.append((int(m.group(1)), d / name))
    out.sort()
    return out


def io_error(what: str, path: Path, e: OSError) -> Exception:
    """The diary's error for an OSError at the edge: disk full is told apart from other failures."""
    if e.errno in FULL_ERRNOS:
        return DiaryFull(
            f"the disk is full (or over its size limit): {what} {path} failed; nothing was recorded and "
            "the diary is intact. Free some space and try again."
        )
    return DiaryIOError(f"{what} {path} failed: {e.strerror or e}")


def write_all(fd: int, data: bytes) -> None:
    """os.write until every byte is down (a short write is not an error until the OS says so)."""
    view = memoryview(data)
    while view:
        n = os.write(fd, view)
        if n <= 0:
            raise OSError(errno.EIO, "write returned 0")
        view = view[n:]


def write_file_durably(path: Path, data: bytes) -> None:
    """Write a new file next to its final name, fsync it, rename it into place, fsync the folder."""
    try:
        replace_file(path, data, mode=0o644)
    except OSError as e:
        raise io_error("writing", path, e) from e


@contextlib.contextmanager
def writer_lock(d: Path, *, blocking: bool = True) -> Iterator[bool]:
    """flock on devlog/LOCK, held only while frames are written, so readers never wait on it.

    Yields False when `blocking` is off and another process holds it.
    """
    fd = os.open(d / "LOCK", os.O_RDWR | os.O_CREAT, 0o644)
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | (0 if blocking else fcntl.LOCK_NB))
        except BlockingIOError:
            yield False
            return
        try:
            yield True
        finally:
            fcntl.flock(fd, fcntl.LOCK_UN)
    finally:
        os.close(fd)


def quarantine(d: Path, seg_name: str, start: int, data: bytes) -> Path:
    """Keep damaged bytes aside (never deleted by Rusta) and return where they went."""
    q = d / "quarantine"
    q.mkdir(exist_ok=True)
    stamp = time.strftime("%Y%m%dT%H%M%S", time.gmtime())
    path = q / f"{stamp}-{seg_name}-at{start}-{len(data)}b.bin"
    n = 1
    while path.exists():
        path = q / f"{stamp}-{seg_name}-at{start}-{len(data)}b.{n}.bin"
        n += 1
    write_file_durably(path, data)
    return path


class StaleSegment(Exception):
    """A segment changed under a reader since it was indexed; the index is rebuilt."""


class SegmentState:
    """What this process knows of one segment file."""

    __slots__ = ("number", "path", "header", "inode", "end", "damage", "records", "problems")

    def __init__(self, number: int, path: Path) -> None:
        self.number = number
        self.path = path
        self.header: frames.SegmentHeader | None = None
        self.inode = -1
        self.end = 0  # scanned up to here: the end of the last whole frame
        self.damage: list[frames.Damage] = []
        # what an index cache keeps, gathered while every frame from the header on is indexed (the
        # segment a writer appends to); None where it is not (a sealed segment, read from its cache)
        self.records: list[tuple[int, int, str, str, str | None]] | None = None
        self.problems: list[tuple[int, str]] = []
