"""Replacing a file whole: a temp file beside it, written, fsynced, renamed over it, the folder fsynced.

A crash (kill -9 or power loss) leaves the old content or the new, never half of either, and at
worst a stray temp file, named with `TMP_MARK` so the snapshot walk and the sweeps can tell it
from a user's file. Every module that replaces a file shares this one helper; the DevLog's own
segment writes (appends in place) and folder swaps are not replacements and live elsewhere.
"""

from __future__ import annotations

import contextlib
import errno
import fcntl
import os
import time
from pathlib import Path

TMP_MARK = ".rusta-tmp-"


def fsync_fd(fd: int) -> None:
    """fsync, or F_FULLFSYNC where plain fsync does not reach the platter (macOS)."""
    full = getattr(fcntl, "F_FULLFSYNC", None)
    if full is not None:
        try:
            fcntl.fcntl(fd, full)
            return
        except OSError:
            pass
    os.fsync(fd)


def fsync_dir(d: Path) -> None:
    """Make the folder's entries durable: a rename or a new name survives power loss only after this."""
    fd = os.open(d, os.O_RDONLY | os.O_DIRECTORY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def temp_name(path: Path) -> Path:
    """A name beside `path` that no other writer (thread or process) picks at the same time."""
    return path.with_name(f".{path.name}{TMP_MARK}{os.getpid()}-{time.monotonic_ns()}")


def replace_file(
    path: Path, data: bytes, *, perm: int | None = None, mode: int = 0o666, durable: bool = True
) -> None:
    """Make `path` hold exactly `data`, atomically.

    `perm` sets the permissions exactly; without it the file is created with `mode` less the umask,
    as `open()` would. `durable=False` skips the
    two fsyncs, for caches that are only hints. The new file's mtime comes from the precise clock:
    the kernel's coarse stamp can equal a build's, and cargo would take new content for old. On any
    failure the temp file is removed and the error raised as it came; `path` is untouched.
    """
    tmp = temp_name(path)
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600 if perm is not None else mode)
    try:
        try:
            view = memoryview(data)
            while view:
                n = os.write(fd, view)
                if n <= 0:  # a short write is retried; none at all is an error
                    raise OSError(errno.EIO, "write returned 0")
                view = view[n:]
            if perm is not None:
                os.fchmod(fd, perm)
            now = time.time_ns()
            os.utime(fd, ns=(now, now))
            if durable:
                fsync_fd(fd)
        finally:
            os.close(fd)
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise
    if durable:
        fsync_dir(path.parent)
