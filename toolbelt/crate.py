"""Find and sanity-check a crate before any tool runs on it."""

from __future__ import annotations

import os
from pathlib import Path

from toolbelt.errors import NotACrate, SourceTooLarge

MAX_SOURCE_BYTES = 16 * 1024**2
_SKIP_DIRS = frozenset({"target", ".git", ".rusta", "node_modules"})


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
    import tomllib  # here, not at import: `rusta check` parses a manifest only when cargo failed

    manifest = root / "Cargo.toml"
    try:
        return tomllib.loads(manifest.read_text(encoding="utf-8"))
    except UnicodeDecodeError as e:
        raise NotACrate(f"{manifest} is not valid UTF-8 (byte {e.start}).") from e
    except tomllib.TOMLDecodeError as e:
        raise NotACrate(f"{manifest} is broken: {e}.") from e
    except OSError as e:
        raise NotACrate(f"{manifest} cannot be read: {e.strerror}.") from e


def rust_sources(root: Path) -> list[Path]:
    """Every `.rs` file of the crate, skipping build output, VCS and hidden folders (stat only, no reads)."""
    found: list[Path] = []
    for dirpath, dirnames, filenames in os.walk(root):
        dirnames[:] = [d for d in dirnames if d not in _SKIP_DIRS and not d.startswith(".")]
        found.extend(Path(dirpath, f) for f in filenames if f.endswith(".rs"))
    return found


def check_source_sizes(root: Path, limit: int = MAX_SOURCE_BYTES) -> None:
    """Refuse, in one sentence, a crate with a source file over `limit` bytes.

    A generated 50 MB file makes rustc, the renderer and the byte LM slow or memory-hungry for no
    benefit to the user; better to say so than to time out after minutes.
    """
    for f in rust_sources(root):
        try:
            size = f.stat().st_size
        except OSError:
            continue
        if size > limit:
            rel = f.relative_to(root)
            raise SourceTooLarge(
                f"{rel} is {size / 1024**2:.0f} MB, over Rusta's {limit // 1024**2} MB limit for one source "
                "file; move generated data out of the source tree (include_bytes! or a build script)."
            )
