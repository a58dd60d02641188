"""A simulated power loss for a folder tree: what survives is only what fsync made durable.

`PowerLoss(root)` records, while active, every `os.fsync` made by the process (the real fsync still
runs): a file's inode becomes durable with its content; a folder's listing at the moment it was
fsynced becomes its durable listing. `crash_copy(dest)` then writes the tree as it would be found
after a power cut: a folder never fsynced keeps its listing from before (an entry made since is
gone), a new file whose data was never fsynced comes back empty, a new folder whose parent never
named it durably is gone with everything in it. This is the ext4 `data=ordered` worst case,
without the luck of a background writeback.
"""

from __future__ import annotations

import os
import stat
from dataclasses import dataclass, field
from pathlib import Path

import pytest


@dataclass
class _Tree:
    listings: dict[str, dict[str, int]] = field(default_factory=dict)  # rel dir -> name -> inode
    files: dict[int, bytes] = field(default_factory=dict)  # inode -> content
    dirs: set[int] = field(default_factory=set)  # inodes of folders


def _scan(root: Path) -> _Tree:
    t = _Tree()
    for d, dirnames, filenames in os.walk(root):
        rel = os.path.relpath(d, root)
        t.dirs.add(os.lstat(d).st_ino)
        listing = {}
        for n in dirnames + filenames:
            st = os.lstat(os.path.join(d, n))
            listing[n] = st.st_ino
            if stat.S_ISREG(st.st_mode):
                t.files[st.st_ino] = Path(d, n).read_bytes()
        t.listings[rel] = listing
    return t


class PowerLoss:
    def __init__(self, root: Path, monkeypatch: pytest.MonkeyPatch) -> None:
        self.root = root.resolve()
        self.before = _scan(self.root)
        self.synced_listings: dict[str, dict[str, int]] = {}
        self.synced_files: set[int] = set()
        self.dir_fsyncs: list[str] = []
        real = os.fsync

        def fsync(fd) -> None:
            real(fd)
            n = fd if isinstance(fd, int) else fd.fileno()
            st = os.fstat(n)
            if stat.S_ISDIR(st.st_mode):
                path = Path(os.readlink(f"/proc/self/fd/{n}"))
                if path == self.root or self.root in path.parents:
                    rel = os.path.relpath(path, self.root)
                    self.dir_fsyncs.append(rel)
                    self.synced_listings[rel] = {e.name: e.inode() for e in os.scandir(path)}
            else:
                self.synced_files.add(st.st_ino)

        monkeypatch.setattr(os, "fsync", fsync)

    def crash_copy(self, dest: Path) -> Path:
        """Write the tree a power cut would leave now into `dest` (which must not exist)."""
        after = _scan(self.root)
        dest.mkdir(parents=True)

        def listing(rel: str) -> dict[str, int]:
            if rel in self.synced_listings:
                return self.synced_listings[rel]
            return self.before.listings.get(rel, {})  # never fsynced: as it was, or empty when new

        def build(rel: str, out: Path) -> None:
            for name, ino in listing(rel).items():
                child = name if rel == "." else f"{rel}/{name}"
                if ino in after.dirs or ino in self.before.dirs:
                    (out / name).mkdir()
                    build(child, out / name)
                elif ino in self.synced_files:
                    (out / name).write_bytes(after.files.get(ino, self.before.files.get(ino, b"")))
                elif ino in self.before.files:
                    (out / name).write_bytes(self.before.files[ino])
                else:
                    (out / name).write_bytes(b"")  # named durably, data never fsynced

        build(".", dest)
        return dest
