"""Turning what the runs and the syntax said into Findings: rule, place, Rusta's words, fingerprint. Pure.

A fingerprint is the rule, the file, the message with module paths trimmed and the head line's text
(trimmed), hashed: a viewer tracks the finding while lines above it come and go.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping

from engine.patching.diffs import apply_change, parse_diff
from engine.patching.errors import PatchError
from engine.review.patterns import Hit
from engine.review.publicapi import ApiChange
from engine.review.rules import RULES
from engine.review.types import Finding, FindingKind, Level, Place, Replacement, ReviewFix
from toolbelt.diag_identity import trim_paths


def line_text(files: Mapping[str, bytes], file: str, line: int) -> str:
    data = files.get(file)
    if data is None or line < 1:
        return ""
    lines = data.decode("utf-8", "replace").splitlines()
    return lines[line - 1].strip() if line <= len(lines) else ""


def fingerprint(rule: str, file: str, message: str, text: str) -> str:
    key = "\0".join((rule, file, trim_paths(message), " ".join(text.split())))
    return hashlib.sha256(key.encode("utf-8", "surrogateescape")).hexdigest()[:32]


def finding(
    *,
    rule: str,
    kind: FindingKind,
    level: Level,
    place: Place,
    message: str,
    explanation: str,
    files: Mapping[str, bytes],
    fix: ReviewFix | None = None,
) -> Finding:
    text = line_text(files, place.file, place.line)
    return Finding(
        rule=rule,
        kind=kind,
        level=level,
        place=place,
        message=message,
        explanation=explanation,
        fingerprint=fingerprint(rule, place.file, message, text),
        line_text=text,
        fix=fix,
    )


def replacements(diff: str, files: Mapping[str, bytes]) -> tuple[Replacement, ...]:
    """Each file's change as one replacement of characters: the span between the common prefix and
    suffix of before and after (SARIF's deletedRegion and insertedContent)."""
    out: list[Replacement] = []
    try:
        changes = parse_diff(diff)
    except PatchError:
        return ()  # a diff Rusta cannot read back has no replacements to offer (and no SARIF fix)
    for change in changes:
        path = change.new_path or change.old_path or ""
        old = files.get(path)
        try:
            new = apply_change(path, old, change)
        except PatchError:
            return ()
        a = (old or b"").decode("utf-8", "replace")
        b = (new or b"").decode("utf-8", "replace")
        i = 0
        while i < min(len(a), len(b)) and a[i] == b[i]:
            i += 1
        j = 0
        while j < min(len(a), len(b)) - i and a[len(a) - 1 - j] == b[len(b) - 1 - j]:
            j += 1
        out.append(Replacement(file=path, offset=i, length=len(a) - i - j, text=b[i : len(b) - j]))
    return tuple(out)


def from_hit(path: str, h: Hit, files: Mapping[str, bytes], fix: ReviewFix | None) -> Finding:
    rule = RULES[h.rule]
    return finding(
        rule=h.rule,
        kind="pattern",
        level=rule.level,
        place=Place(file=path, line=h.line, column=h.column, end_line=h.end_line, end_column=h.end_column),
        message=h.message,
        explanation=rule.help,
        files=files,
        fix=fix,
    )


def from_api_change(
    c: ApiChange, base_version: str, head_version: str, version_line: int, files: Mapping[str, bytes]
) -> Finding:
    rule = RULES["rusta/api-without-bump"]
    what = {
        "removed": f"`{c.item.path}` is no longer public",
        "changed": f"`{c.item.path}` changed from `{c.before}` to `{c.item.signature}`",
        "added": f"`{c.item.path}` is new public API",
    }[c.change]
    semver = "a breaking change" if c.change != "added" else "a minor change"
    message = f"{what}: {semver}, but Cargo.toml still says version {head_version or base_version}."
    place = (
        Place(file=c.item.file, line=c.item.line)
        if c.change != "removed"
        else Place(file="Cargo.toml", line=max(version_line, 1))
    )
    return finding(
        rule=rule.id,
        kind="api",
        level="warning" if c.change != "added" else "note",
        place=place,
        message=message,
        explanation=rule.help,
        files=files,
    )
