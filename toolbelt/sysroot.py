"""Where the installed toolchain lives: its sysroot (for the docs rustup installed), and its version.

Kept in toolbelt so that any layer may read the offline docs and std's own source pages without
importing the explain layer; `rustc --print sysroot` runs once per process, or once per rustc
version when a CheckReport already recorded the version (cached on disk).
"""

from __future__ import annotations

import functools
import os
import re
import shutil
from pathlib import Path

from toolbelt.paths import cache_dir
from toolbelt.process import run_limited

_known_version: list[str] = []  # the rustc version a CheckReport already recorded, if any


def remember_rustc_version(version: str) -> None:
    """A version string cargo_run already read (CheckReport.toolchain.rustc): saves a `rustc -V`
    and lets the sysroot come from the disk cache instead of a `rustc --print sysroot`."""
    if version and not _known_version:
        _known_version.append(version)


def _sysroot_cache() -> Path | None:
    if not _known_version:
        return None
    return cache_dir() / "explain" / version_key(_known_version[0]) / "sysroot.txt"


@functools.cache
def sysroot() -> Path | None:
    """`rustc --print sysroot`, once per process (and once per rustc version on disk when the version is
    known); None when rustc is missing or says nothing."""
    cached = _sysroot_cache()
    if cached is not None and cached.is_file():
        path = Path(cached.read_text(encoding="utf-8").strip())
        if path.is_dir():
            return path
    if shutil.which("rustc") is None:
        return None
    proc = run_limited(["rustc", "--print", "sysroot"], cwd=os.getcwd(), timeout_s=10.0)
    text = proc.stdout.decode("utf-8", "replace").strip()
    if proc.outcome != "ok" or not text:
        return None
    if cached is not None:
        try:
            cached.parent.mkdir(parents=True, exist_ok=True)
            tmp = cached.with_name(f".sysroot.{os.getpid()}.tmp")
            tmp.write_text(text, encoding="utf-8")
            tmp.replace(cached)
        except OSError:
            pass  # a cache that cannot be written only costs the next run a process
    return Path(text)


def doc_root() -> Path | None:
    root = sysroot()
    html = root / "share" / "doc" / "rust" / "html" if root else None
    return html if html is not None and html.is_dir() else None


@functools.cache
def rustc_version() -> str:
    if _known_version:
        return _known_version[0]
    proc = run_limited(["rustc", "-V"], cwd=os.getcwd(), timeout_s=10.0)
    return proc.stdout.decode("utf-8", "replace").strip() if proc.outcome == "ok" else "unknown"


def version_key(version: str) -> str:
    return re.sub(r"[^A-Za-z0-9.-]+", "_", version)[:80]
