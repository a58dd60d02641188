"""A persistent scratch copy of a crate where candidate edits are tried and reverted.

The copy lives under Rusta's cache (never in the user's tree) and keeps its own warm target dir, so
a trial costs one incremental `cargo check`, not a fresh build. `sync` mirrors the user's files
before each repair; a trial writes the edited files, and `revert` restores them byte for byte.
"""

from __future__ import annotations

import difflib
import hashlib
import os
import shutil
import time
from pathlib import Path

from engine.edits import EditError, apply_edits, by_file
from engine.repair.errors import RepairError
from engine.repair.types import Edit
from toolbelt.cargo_workspace import absolutize_outside_paths, is_manifest
from toolbelt.paths import writable_cache_dir


def write_fresh(path: Path, data: bytes) -> None:
    """Write and stamp the file with the precise clock.

    The kernel stamps writes with a coarse clock (a few ms), and cargo calls a source fresh when its
    mtime is not newer than the last build's: a write right after a build could go unseen and the
    check would report the old file. An explicit nanosecond stamp is always newer.
    """
    path.write_bytes(data)
    now = time.time_ns()
    os.utime(path, ns=(now, now))


_SKIP_DIRS = {"target", ".git", ".rusta", ".hg", ".jj", "node_modules"}


def _crate_files(root: Path) -> list[str]:
    out: list[str] = []
    for dirpath, dirnames, filenames in os.walk(root):
        dirnames[:] = [d for d in dirnames if d not in _SKIP_DIRS]
        for f in filenames:
            p = Path(dirpath, f)
            if p.is_symlink() or not p.is_file():
                continue
            out.append(p.relative_to(root).as_posix())
    return sorted(out)


class Workspace:
    """Scratch mirror of one crate. Not thread-safe: one repair at a time per crate."""

    def __init__(self, source: Path, scratch: Path | None = None) -> None:
        self.source = source.resolve()
        key = hashlib.sha256(str(self.source).encode()).hexdigest()[:16]
        self.root = scratch or writable_cache_dir() / "repair" / f"{self.source.name}-{key}"
        self._pending: dict[str, bytes] = {}

    def sync(self) -> None:
        """Make the scratch copy equal to the user's crate (copy changed files, drop removed ones)."""
        try:
            self.root.mkdir(parents=True, exist_ok=True)
            want = set(_crate_files(self.source))
            have = set(_crate_files(self.root))
            for rel in have - want:
                (self.root / rel).unlink()
            for rel in want:
                src, dst = self.source / rel, self.root / rel
                data = src.read_bytes()
                if is_manifest(rel):  # a path dependency outside the workspace is read where it is
                    data = absolutize_outside_paths(data, src.parent, self.source)
                if dst.exists() and dst.read_bytes() == data:
                    # Same bytes, but an earlier or crashed run may have built other bytes here since:
                    # a fresh stamp makes cargo re-check this crate (its dependencies stay warm).
                    now = time.time_ns()
                    os.utime(dst, ns=(now, now))
                    continue
                dst.parent.mkdir(parents=True, exist_ok=True)
                write_fresh(dst, data)
                shutil.copymode(src, dst)
        except OSError as e:
            raise RepairError(f"cannot prepare a scratch copy of {self.source}: {e.strerror or e}.") from e
        self._pending.clear()

    def write(self, rel: str, data: bytes) -> None:
        write_fresh(self.root / rel, data)
        self._pending.setdefault(rel, b"")

    def files(self) -> tuple[str, ...]:
        return tuple(f for f in _crate_files(self.root) if f.endswith(".rs"))

    def read(self, rel: str) -> bytes | None:
        p = (self.root / rel).resolve()
        if not p.is_relative_to(self.root.resolve()) or not p.is_file():
            return None
        return p.read_bytes()

    def try_edits(self, edits: tuple[Edit, ...]) -> dict[str, bytes]:
        """Write the edited files; return their previous bytes (what `revert` will restore)."""
        before: dict[str, bytes] = {}
        after: dict[str, bytes] = {}
        for rel, file_edits in by_file(edits).items():  # every file computed before any is written
            old = self.read(rel)
            if old is None:
                raise RepairError(f"{rel} is outside the crate or missing.")
            try:
                after[rel] = apply_edits(old, file_edits)
            except EditError as e:
                raise RepairError(str(e)) from e
            before[rel] = old
        for rel, data in after.items():
            write_fresh(self.root / rel, data)
        self._pending.update({k: v for k, v in before.items() if k not in self._pending})
        return before

    def revert(self, before: dict[str, bytes]) -> None:
        for rel, data in before.items():
            write_fresh(self.root / rel, data)

    def changed_against_source(self) -> dict[str, tuple[bytes, bytes]]:
        """{path: (user's bytes, scratch bytes)} for every file the repair changed."""
        out: dict[str, tuple[bytes, bytes]] = {}
        for rel in self._pending:
            src = (self.source / rel).read_bytes()
            now = (self.root / rel).read_bytes()
            if src != now:
                out[rel] = (src, now)
        return out

    def set_state(self, files: dict[str, bytes]) -> None:
        """Make every file the repair touched hold `files[rel]`, or the user's bytes when absent."""
        for rel in self._pending:
            want = files.get(rel)
            if want is None:
                want = (self.source / rel).read_bytes()
            if self.read(rel) != want:
                write_fresh(self.root / rel, want)

    def user_line(self, rel: str, line: int) -> int:
        """The line of the user's file that scratch line `line` of `rel` stands for.

        Steps already taken in the scratch copy move lines (an added `use` shifts everything below);
        a location shown to the user must be in her file as it is, so unchanged lines map exactly and
        a line inside a changed region maps to where that region starts.
        """
        now = self.read(rel)
        src_path = self.source / rel
        if now is None or rel not in self._pending or not src_path.is_file():
            return line
        src = src_path.read_bytes()
        if src == now:
            return line
        a, b = src.splitlines(), now.splitlines()
        at = line - 1
        for tag, i1, _i2, j1, j2 in difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
            if j1 <= at < j2:
                return (i1 + (at - j1) if tag == "equal" else i1) + 1
        return max(1, min(line, len(a)))

    def user_text(self, text: str) -> str:
        """`text` with the scratch copy's path replaced by the user's crate."""
        return text.replace(str(self.root), str(self.source))
