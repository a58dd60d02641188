"""Grouping: one root cause that produces several diagnostics is one story, not five.

Two rules, both pure: diagnostics of the same severity whose root cause is the same place form one
group; unresolved-name errors (E0425, E0433, E0412, E0432, ...) about the same name form one group
whose root cause is the earliest occurrence.
"""

from __future__ import annotations

import re
from typing import NamedTuple

from engine.explain.types import Location
from toolbelt.types import Diagnostic

RESOLUTION_CODES = frozenset(
    {"E0425", "E0433", "E0412", "E0432", "E0422", "E0423", "E0531", "E0405", "E0407"}
)
_NAME_RE = re.compile(r"`([^`]+)`")


class Located(NamedTuple):
    """A diagnostic with where rustc points and where Rusta says it starts."""

    diag: Diagnostic
    primary: Location
    root: Location
    reason: str
    strategy: str


class Group(NamedTuple):
    lead: Located
    members: tuple[Located, ...]
    root: Location
    reason: str


def _severity(d: Diagnostic) -> str:
    return "error" if d.level.startswith("error") else "other"


def unresolved_name(d: Diagnostic) -> str | None:
    """The name an unresolved-path error is about: `foo` in "cannot find value `foo` in this scope"."""
    if (d.code_str or "") not in RESOLUTION_CODES:
        return None
    m = _NAME_RE.search(d.message)
    if not m:
        return None
    name = m.group(1)
    return name.split("::")[0] if d.code_str == "E0433" else name


def _pos(loc: Location) -> tuple[str, int, int]:
    return (loc.file, loc.line, loc.column)


def group(items: list[Located]) -> list[Group]:
    """Stories in the order their first diagnostic appeared; each carries all its diagnostics."""
    keys: dict[tuple, int] = {}
    buckets: list[list[Located]] = []
    for it in items:
        sev = _severity(it.diag)
        name = unresolved_name(it.diag)
        key_name = ("name", sev, name, it.primary.file) if name else None
        key_root = ("root", sev, _pos(it.root)) if it.root.line > 0 else None
        idx = None
        for k in (key_name, key_root):
            if k is not None and k in keys:
                idx = keys[k]
                break
        if idx is None:
            idx = len(buckets)
            buckets.append([])
        buckets[idx].append(it)
        for k in (key_name, key_root):
            if k is not None:
                keys.setdefault(k, idx)
    out: list[Group] = []
    for members in buckets:
        lead = members[0]
        if unresolved_name(lead.diag) is not None and len(members) > 1:
            first = min(members, key=lambda m: _pos(m.primary))
            reason = (
                f"the first of {len(members)} uses of an unresolved name; the others fail for the same reason"
            )
            out.append(Group(lead=first, members=tuple(members), root=first.primary, reason=reason))
        else:
            out.append(Group(lead=lead, members=tuple(members), root=lead.root, reason=lead.reason))
    return out
