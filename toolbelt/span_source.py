"""The text of the file a diagnostic's span points into, read once per question, guarded.

Why one reader: a diagnostic read after the file changed (an edit, a save) must not index past the
text, and every explain module that reads the code at a span needs the same guard.
"""

from __future__ import annotations

from pathlib import Path

from toolbelt.types import Span


def span_source(crate_root: str | Path, span: Span) -> bytes | None:
    """The bytes of `span`'s file, or None when it cannot be read or the span runs past its end."""
    try:
        source = (Path(crate_root) / span.file_name).read_bytes()
    except OSError:
        return None
    return source if span.byte_end <= len(source) else None
