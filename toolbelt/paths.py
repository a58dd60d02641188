"""Where Rusta keeps its own files: a cache folder per user, one cargo target dir per crate."""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

from toolbelt.errors import CacheUnwritable

_usable: set[str] = set()


def cache_dir() -> Path:
    """`$RUSTA_CACHE_DIR`, else `$XDG_CACHE_HOME/rusta`, else `~/.cache/rusta`."""
    env = os.environ.get("RUSTA_CACHE_DIR")
    if env:
        return Path(env)
    xdg = os.environ.get("XDG_CACHE_HOME")
    return (Path(xdg) if xdg else Path.home() / ".cache") / "rusta"


def writable_cache_dir() -> Path:
    """`cache_dir()`, created if missing; CacheUnwritable with one sentence when it cannot be written.

    Every tool that keeps state there (targets, sandboxes, scratch copies, probes) goes through this,
    so an unusable cache (`RUSTA_CACHE_DIR=/proc/x`, a read-only home) is named once and plainly
    instead of surfacing as cargo's "failed to create directory" or an OSError traceback.
    """
    d = cache_dir()
    if str(d) in _usable:
        return d
    try:
        d.mkdir(parents=True, exist_ok=True)
    except OSError as e:
        raise CacheUnwritable(
            f"Rusta's cache folder {d} cannot be created ({e.strerror or e}); "
            "set RUSTA_CACHE_DIR to a writable folder."
        ) from e
    if not os.access(d, os.W_OK | os.X_OK):
        raise CacheUnwritable(
            f"Rusta's cache folder {d} is not writable; set RUSTA_CACHE_DIR to a writable folder."
        )
    _usable.add(str(d))
    return d


def target_dir_for(crate_root: str | Path) -> Path:
    """A target dir of Rusta's own per crate, so she never waits on the user's cargo build lock."""
    root = Path(crate_root).resolve()
    key = hashlib.sha256(str(root).encode()).hexdigest()[:16]
    return writable_cache_dir() / "targets" / f"{root.name}-{key}"
