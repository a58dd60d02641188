"""Suggested patches: rustc's replacement spans turned into one unified diff. Pure: text in, diff out.

Offsets are rustc's byte offsets into the UTF-8 file, so edits are applied to bytes and decoded
afterwards; several replacements in one file are applied in one left-to-right pass; overlapping ones are
dropped (rustc offers alternatives that overlap; the first wins).
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable
from pathlib import Path
from typing import NamedTuple

from engine.explain.rootcause import is_external
from engine.explain.types import SuggestedPatch
from toolbelt.types import Diagnostic

_RANK = {"MachineApplicable": 0, "MaybeIncorrect": 1, "HasPlaceholders": 2, "Unspecified": 3}


class Edit(NamedTuple):
    file: str
    byte_start: int
    byte_end: int
    replacement: str
    applicability: str


def suggestion_edits(diag: Diagnostic) -> list[Edit]:
    """The edits of the diagnostic's best suggestion (by applicability, then rustc's order)."""
    best: list[Edit] = []
    best_rank = 99
    for child in diag.children:
        edits = [
            Edit(
                s.file_name,
                s.byte_start,
                s.byte_end,
                s.suggested_replacement,
                s.suggestion_applicability or "Unspecified",
            )
            for s in child.spans
            if s.suggested_replacement is not None and not is_external(s.file_name)
        ]
        if not edits:
            continue
        rank = max(_RANK.get(e.applicability, 3) for e in edits)
        if rank < best_rank:
            best, best_rank = edits, rank
    return best


def weakest(applicabilities: Iterable[str]) -> str:
    return max(applicabilities, key=lambda a: _RANK.get(a, 3), default="Unspecified")


def apply_edits(source: bytes, edits: Iterable[Edit]) -> bytes:
    """Apply non-overlapping edits to one file's bytes; an edit overlapping an earlier one is skipped."""
    kept: list[Edit] = []
    for e in edits:
        if e.byte_start > e.byte_end or e.byte_end > len(source):
            continue
        overlaps = any(
            e.byte_start < k.byte_end
            and k.byte_start < e.byte_end
            or (e.byte_start == e.byte_end == k.byte_start == k.byte_end)
            for k in kept
        )
        if not overlaps:
            kept.append(e)
    out = bytearray()
    pos = 0
    for e in sorted(kept, key=lambda e: (e.byte_start, e.byte_end)):
        out += source[pos : e.byte_start] + e.replacement.encode("utf-8")
        pos = e.byte_end
    out += source[pos:]
    return bytes(out)


def unified_diff(files: dict[str, bytes], edits: Iterable[Edit]) -> str:
    """A `git apply`-able diff (a/ b/ prefixes) for every file the edits touch; "" when nothing changes."""
    by_file: dict[str, list[Edit]] = {}
    for e in edits:
        if e not in by_file.setdefault(e.file, []):
            by_file[e.file].append(e)
    chunks: list[str] = []
    for name in sorted(by_file):
        if name not in files:
            continue
        before = files[name]
        after = apply_edits(before, by_file[name])
        if after == before:
            continue
        a = before.decode("utf-8", "replace").splitlines(keepends=True)
        b = after.decode("utf-8", "replace").splitlines(keepends=True)
        lines = list(difflib.unified_diff(a, b, fromfile=f"a/{name}", tofile=f"b/{name}", n=3))
        for i, ln in enumerate(lines):
            if not ln.endswith("\n"):
                lines[i] = ln + "\n\\ No newline at end of file\n"
        chunks.append("".join(lines))
    return "".join(chunks)


def suggested_patch(diags: Iterable[Diagnostic], crate_root: str | Path) -> SuggestedPatch | None:
    """One patch from the best suggestion of each diagnostic in a story; None when rustc offers none."""
    edits: list[Edit] = []
    for d in diags:
        for e in suggestion_edits(d):
            if e not in edits:
                edits.append(e)
    if not edits:
        return None
    root = Path(crate_root)
    files: dict[str, bytes] = {}
    for name in {e.file for e in edits}:
        try:
            files[name] = (root / name).read_bytes()
        except OSError:
            continue
    diff = unified_diff(files, edits)
    if not diff:
        return None
    return SuggestedPatch(diff=diff, applicability=weakest(e.applicability for e in edits), source="rustc")
