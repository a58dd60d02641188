"""Where Rusta's cache folder is and how a crate's entries in it are named: standard library only.

`toolbelt.paths` owns the cache (its entries, sizes, eviction); these two functions live apart so
that `rusta check` can name cargo's target dir and start cargo before msgspec is imported
(see `toolbelt.cargo_early`).
"""

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


def crate_key(crate_root: str | Path) -> str:
    """`<crate>-<16 hex of sha256 of its resolved path>`: the name of every per-crate cache entry."""
    root = Path(crate_root).resolve()
    return f"{root.name}-{hashlib.sha256(str(root).encode()).hexdigest()[:16]}"
