"""Where Rusta keeps its own files: a cache folder per user, one cargo target dir per crate."""

from __future__ import annotations

import hashlib
import os
from pathlib import Path


def cache_dir() -> Path:
    """`$RUSTA_CACHE_DIR`, else `$XDG_CACHE_HOME/rusta`, else `~/.cache/rusta`."""
    env = os.environ.get("RUSTA_CACHE_DIR")
    if env:
        return Path(env)
    xdg = os.environ.get("XDG_CACHE_HOME")
    return (Path(xdg) if xdg else Path.home() / ".cache") / "rusta"


def target_dir_for(crate_root: str | Path) -> Path:
    """A target dir of Rusta's own per crate, so she never waits on the user's cargo build lock."""
    root = Path(crate_root).resolve()
    key = hashlib.sha256(str(root).encode()).hexdigest()[:16]
    return cache_dir() / "targets" / f"{root.name}-{key}"
