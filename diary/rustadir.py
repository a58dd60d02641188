"""The `.rusta/` folder in a crate: created once, with a `.gitignore` so `git status` never lists it."""

from __future__ import annotations

import os
from pathlib import Path

from diary.segments import io_error

STORE_DIR = ".rusta"
_GITIGNORE = b"# Rusta's own files; never part of your repo.\n*\n"


def ensure_rusta_dir(root: str | Path) -> Path:
    """Create `<root>/.rusta/` and its `.gitignore` (written atomically: temp file, fsync, rename)."""
    d = Path(root) / STORE_DIR
    try:
        d.mkdir(parents=True, exist_ok=True)
        gi = d / ".gitignore"
        if not gi.exists():
            tmp = d / f".gitignore.{os.getpid()}.tmp"
            with open(tmp, "wb") as f:
                f.write(_GITIGNORE)
                f.flush()
                os.fsync(f.fileno())
            os.replace(tmp, gi)
    except OSError as e:  # a read-only crate, a `.rusta` that is a file, a full disk: one sentence
        raise io_error("creating", d, e) from e
    return d
