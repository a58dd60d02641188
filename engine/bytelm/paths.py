"""Where the byte LM keeps its files: the shipped checkpoint in the repo, the rest in Rusta's cache."""

from __future__ import annotations

from pathlib import Path

from toolbelt.paths import cache_dir

PACKAGE = Path(__file__).parent
SHIPPED = PACKAGE / "checkpoints"


def snapshot_dir() -> Path:
    return cache_dir() / "bytelm" / "snapshot"


def runs_dir(preset: str) -> Path:
    """Orbax training checkpoints of one preset (resumable), outside the repo."""
    return cache_dir() / "bytelm" / "runs" / preset


def jax_cache_dir() -> Path:
    return cache_dir() / "jax-compile"


def shipped_dir(preset: str = "small") -> Path:
    return SHIPPED / preset
