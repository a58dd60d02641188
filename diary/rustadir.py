"""The `.rusta/` folder in a crate: created once, with a `.gitignore` so `git status` never lists it."""

from __future__ import annotations

from pathlib import Path

from diary.segments import io_error
from toolbelt.atomic_file import replace_file

STORE_DIR = ".rusta"
_GITIGNORE = b"# Rusta's own files; never part of your repo.\n*\n"


def ensure_rusta_dir(root: str | Path) -> Path:
    """Create `<root>/.rusta/` and its `.gitignore` (written atomically: temp file, fsync, rename, fsync of the folder)."""
    d = Path(root) / STORE_DIR
    try:
        d.mkdir(parents=True, exist_ok=True)
        gi = d / ".gitignore"
        if not gi.exists():
            replace_file(gi, _GITIGNORE)
    except OSError as e:  # a read-only crate, a `.rusta` that is a file, a full disk: one sentence
        raise io_error("creating", d, e) from e
    return d
