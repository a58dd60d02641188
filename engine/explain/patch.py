"""Suggested patches: rustc's best suggestion for each diagnostic of a story, as one unified diff.

The edits, their overlaps and the diff come from `engine.edits`; this module only reads the files a
story's suggestions touch. Several suggestions in one story are applied together, left to right;
one that overlaps an earlier one is dropped (rustc offers alternatives that overlap; the first wins).
A derive rustc suggests on a line of its own goes into the type's existing `#[derive(..)]` list, as
`rusta fix` and the options write it, so the story's patch is the same edit the other paths land.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from engine.edits import Edit, best_suggestion, diff_of_edits, first_non_overlapping, weakest
from engine.explain.options import crate_rs_files
from engine.explain.types import SuggestedPatch
from engine.repair.derive import derive_into_list
from engine.repair.sender_drop import sender_dropped
from toolbelt.types import Diagnostic


def suggested_patch(diags: Iterable[Diagnostic], crate_root: str | Path) -> SuggestedPatch | None:
    """One patch from the best suggestion of each diagnostic in a story; None when rustc offers none."""
    edits: list[Edit] = []
    applicabilities: list[str] = []
    root = Path(crate_root)
    added = False  # Rusta wrote edits rustc's suggestions lack: the patch is no longer rustc's
    for d in diags:
        s = best_suggestion(d)
        if s is None:
            continue
        more = sender_dropped(s.edits, d, lambda rel: _read(root, rel))  # a cloned sender's original
        added = added or tuple(more) != tuple(s.edits)
        edits.extend(more)
        applicabilities.append(s.applicability)
    files: dict[str, bytes] = {}
    for name in {e.file for e in edits}:
        try:
            files[name] = (root / name).read_bytes()
        except OSError:
            continue
    kept = [e for e in first_non_overlapping(edits) if e.file in files and e.end <= len(files[e.file])]
    kept = [_into_list(e, root, files) for e in kept]
    diff = diff_of_edits(files, kept) if kept else ""
    if not diff:
        return None
    return SuggestedPatch(
        diff=diff, applicability=weakest(applicabilities), source="template" if added else "rustc"
    )


def _read(root: Path, rel: str) -> bytes | None:
    try:
        return (root / rel).read_bytes()
    except OSError:
        return None


def _into_list(e: Edit, root: Path, files: dict[str, bytes]) -> Edit:
    if not e.replacement.startswith("#[derive("):
        return e

    def read(rel: str) -> bytes | None:
        if rel not in files:
            try:
                files[rel] = (root / rel).read_bytes()
            except OSError:
                return None
        return files[rel]

    return derive_into_list(e, read, crate_rs_files(root)) or e
