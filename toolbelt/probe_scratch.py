"""The probe's scratch copy: a mirror of the user's workspace that the probe may rewrite freely.

The user's files are only read. The mirror is kept between probes and synced by size and mtime,
so cargo's fingerprints stay valid and the probe target dir stays warm.
"""

from __future__ import annotations

import hashlib
import os
import re
import shutil
import stat
import tomllib
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

_SKIP_DIRS = frozenset({"target", ".git", ".hg", ".jj"})


@dataclass(frozen=True, slots=True)
class Scratch:
    ws: Path  # the scratch copy of the workspace root (the crate itself when it has no workspace)
    crate: Path  # the crate's folder inside it: cargo runs here
    file: Path  # the probed file's copy
    target: Path  # the probe target dir, warm across probes


def workspace_root(root: Path) -> Path:
    """The nearest folder above `root` whose Cargo.toml has [workspace], as cargo finds it; else root."""
    for d in root.parents:
        manifest = d / "Cargo.toml"
        if not manifest.is_file():
            continue
        try:
            ws = tomllib.loads(manifest.read_text(encoding="utf-8")).get("workspace")
        except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError):
            continue
        if not isinstance(ws, dict):
            continue
        rel = root.relative_to(d)
        member = any(rel.match(m) or rel == Path(m) for m in ws.get("members", []) if isinstance(m, str))
        excluded = any(
            rel == Path(x) or rel.is_relative_to(x) for x in ws.get("exclude", []) if isinstance(x, str)
        )
        return d if member and not excluded else root  # cargo stops at the first [workspace] it meets
    return root


_PATH_DEP = re.compile(r"""(\bpath\s*=\s*)(["'])([^"'\n]+)\2""")


def absolutize_path_deps(scratch_ws: Path, user_ws: Path) -> None:
    """Path dependencies that point outside the copied workspace would dangle: point them at the originals."""
    for rel, _ in list(_files(scratch_ws)):
        if rel.name != "Cargo.toml":
            continue
        manifest, rel_dir = scratch_ws / rel, rel.parent
        text = manifest.read_text(encoding="utf-8", errors="replace")

        def fix(m: re.Match[str], rel_dir: Path = rel_dir) -> str:
            target = Path(m.group(3))
            if target.is_absolute():
                return m.group(0)
            orig = (user_ws / rel_dir / target).resolve()
            if orig.is_relative_to(user_ws.resolve()):
                return m.group(0)
            return f"{m.group(1)}{m.group(2)}{orig}{m.group(2)}"

        new = _PATH_DEP.sub(fix, text)
        if new != text:
            manifest.write_text(new, encoding="utf-8")


def _files(root: Path) -> Iterator[tuple[Path, os.stat_result]]:
    """Every regular file under root except build output and VCS folders (pruned, never walked)."""
    for d, dirs, names in os.walk(root):
        dirs[:] = sorted(x for x in dirs if x not in _SKIP_DIRS)
        for name in sorted(names):
            path = Path(d) / name
            st = path.stat(follow_symlinks=True) if path.exists() else None
            if st is not None and stat.S_ISREG(st.st_mode):
                yield path.relative_to(root), st


def sync_tree(src: Path, dst: Path) -> None:
    """Mirror the workspace into the scratch folder, copying only what changed (size or mtime)."""
    seen: set[Path] = set()
    for rel, st in _files(src):
        seen.add(rel)
        out = dst / rel
        try:
            ost = out.stat()
            if ost.st_size == st.st_size and ost.st_mtime_ns == st.st_mtime_ns:
                continue
        except FileNotFoundError:
            out.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(src / rel, out)
    for rel, _ in list(_files(dst)):
        if rel not in seen:
            (dst / rel).unlink()


def fingerprint(ws: Path, file_bytes: bytes, rel: str, line: int, col: int) -> str:
    """Key for the result cache: the probed file's content, the rest of the sources (size, mtime), the spot."""
    h = hashlib.sha256(file_bytes)
    h.update(f"\0{rel}\0{line}\0{col}\0".encode())
    for rel_p, st in _files(ws):
        if rel_p.suffix in (".rs", ".toml", ".lock"):
            h.update(f"{rel_p}\0{st.st_size}\0{st.st_mtime_ns}\0".encode())
    return h.hexdigest()[:32]
