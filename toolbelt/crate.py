"""Find and sanity-check a crate before any tool runs on it."""

from __future__ import annotations

import tomllib
from pathlib import Path

from toolbelt.errors import NotACrate


def find_crate_root(path: str | Path) -> Path:
    """The nearest folder at or above `path` with a Cargo.toml; NotACrate with one sentence otherwise."""
    p = Path(path).resolve()
    if not p.exists():
        raise NotACrate(f"{path}: no such file or directory.")
    start = p if p.is_dir() else p.parent
    for d in (start, *start.parents):
        if (d / "Cargo.toml").is_file():
            return d
    raise NotACrate(f"{path} is not inside a Rust crate: no Cargo.toml here or above.")


def read_manifest(root: Path) -> dict:
    """Parse Cargo.toml, turning a syntax error into a sentence that names the line."""
    manifest = root / "Cargo.toml"
    try:
        return tomllib.loads(manifest.read_text(encoding="utf-8"))
    except UnicodeDecodeError as e:
        raise NotACrate(f"{manifest} is not valid UTF-8 (byte {e.start}).") from e
    except tomllib.TOMLDecodeError as e:
        raise NotACrate(f"{manifest} is broken: {e}.") from e
    except OSError as e:
        raise NotACrate(f"{manifest} cannot be read: {e.strerror}.") from e
