"""Apply byte edits to text and render the result as a unified diff. Pure functions."""

from __future__ import annotations

import difflib
from collections.abc import Iterable, Mapping

from engine.repair.errors import RepairError
from engine.repair.types import Edit


def apply_edits(text: bytes, edits: Iterable[Edit]) -> bytes:
    """Apply non-overlapping edits to one file's bytes (offsets are into the original)."""
    ordered = sorted(edits, key=lambda e: (e.start, e.end))
    out: list[bytes] = []
    pos = 0
    for e in ordered:
        if e.start < pos or e.end < e.start or e.end > len(text):
            raise RepairError(f"overlapping or out-of-range edit in {e.file} at byte {e.start}.")
        out.append(text[pos : e.start])
        out.append(e.replacement.encode())
        pos = e.end
    out.append(text[pos:])
    return b"".join(out)


def by_file(edits: Iterable[Edit]) -> dict[str, list[Edit]]:
    grouped: dict[str, list[Edit]] = {}
    for e in edits:
        grouped.setdefault(e.file, []).append(e)
    return grouped


def unified_diff(before: Mapping[str, bytes], after: Mapping[str, bytes]) -> str:
    """A git-style unified diff (a/ b/ prefixes) of the files that differ, in path order."""
    chunks: list[str] = []
    for path in sorted(set(before) | set(after)):
        a = before.get(path, b"").decode("utf-8", "replace").splitlines(keepends=True)
        b = after.get(path, b"").decode("utf-8", "replace").splitlines(keepends=True)
        if a == b:
            continue
        lines = list(difflib.unified_diff(a, b, f"a/{path}", f"b/{path}", n=3))
        chunks.append(
            "".join(ln if ln.endswith("\n") else ln + "\n\\ No newline at end of file\n" for ln in lines)
        )
    return "".join(chunks)


def line_col_to_byte(text: bytes, line: int, col: int) -> int:
    """rustc's 1-based line and 1-based *character* column to a byte offset."""
    lines = text.split(b"\n")
    if line < 1 or line > len(lines):
        raise RepairError(f"line {line} is outside the file.")
    offset = sum(len(x) + 1 for x in lines[: line - 1])
    prefix = lines[line - 1].decode("utf-8", "replace")[: col - 1]
    return offset + len(prefix.encode())
