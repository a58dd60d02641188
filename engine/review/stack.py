"""Rusta's green fixes stacked in order on head's files: each validated alone, kept only if it still
applies on top of the ones before it (two fixes of one line cannot both land). Pure."""

from __future__ import annotations

from collections.abc import Mapping

from engine.patching.diffs import apply_changes, parse_diff
from engine.patching.errors import PatchError
from engine.review.types import Finding


def stack_fixes(
    files: Mapping[str, bytes], findings: tuple[Finding, ...]
) -> list[tuple[Finding, dict[str, bytes | None]]]:
    """(finding, the crate's files after its fix) for each green fix that applies in turn."""
    current: dict[str, bytes | None] = dict(files)
    out: list[tuple[Finding, dict[str, bytes | None]]] = []
    for f in findings:
        if f.fix is None or f.fix.verdict != "green":
            continue
        try:
            changed = apply_changes(parse_diff(f.fix.diff), current.get)
        except PatchError:
            continue  # it overlaps a fix already stacked
        current = {**current, **changed}
        out.append((f, dict(current)))
    return out
