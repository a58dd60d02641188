"""Grouping: one root cause that produces several diagnostics is one story, not five.

Four rules, all pure: diagnostics of the same severity whose root cause is the same place form one
group; unresolved-name errors (E0425, E0433, E0412, E0432, ...) about the same name form one group
whose root cause is the earliest occurrence; lint warnings with the same code and the same message
once item names are blanked (`dead_code` for ten functions, `needless_return` five times) form one
group whose root cause is the first place rustc reports. `unexpected_cfgs` keeps the cfg's name in
its key: every use of one undeclared cfg is one story, because one declaration fixes them all.
Compile errors of one shape (same code, same message once names are blanked, same expected and
found types in their typed facts) are one story too: one mistake made in several places.
"""

from __future__ import annotations

import re
from typing import Literal, NamedTuple

from engine.explain.types import Location
from engine.facts.parse import facts_of
from toolbelt.types import Diagnostic

RESOLUTION_CODES = frozenset(
    {"E0425", "E0433", "E0412", "E0432", "E0422", "E0423", "E0531", "E0405", "E0407"}
)
_NAME_RE = re.compile(r"`([^`]+)`")
_TICKED_RE = re.compile(r"`[^`]*`")
_ERROR_CODE_RE = re.compile(r"E\d{4}")
CFG_LINT = "unexpected_cfgs"

GroupKind = Literal["root", "name", "lint", "cfg", "shape"]


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
    kind: GroupKind = "root"


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


def lint_key(d: Diagnostic) -> tuple[str, str] | None:
    """(code, normalised message) for a lint warning; None for errors and E-coded diagnostics.

    Backticked names are blanked so "function `a` is never used" and "function `b` is never used"
    share a key; for `unexpected_cfgs` the message is kept whole, since the cfg's name is the cause.
    """
    code = d.code_str or ""
    if not code or _severity(d) == "error" or _ERROR_CODE_RE.fullmatch(code):
        return None
    if code == CFG_LINT:
        return code, d.message
    return code, _TICKED_RE.sub("`_`", d.message)


def shape_key(d: Diagnostic) -> tuple | None:
    """(code, message with names blanked, expected, found) for a compile error whose typed facts
    name both types: nine closures that take `&_` where `u32` is expected are one mistake, made
    nine times. None for lints and for errors without a type pair (their places differ in kind)."""
    code = d.code_str or ""
    if _severity(d) != "error" or not _ERROR_CODE_RE.fullmatch(code):
        return None
    f = facts_of(d)
    if not (f.expected and f.found):
        return None
    return code, _TICKED_RE.sub("`_`", d.message), f.expected, f.found


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
        lint = lint_key(it.diag)
        key_lint = ("lint", *lint) if lint else None
        key_root = ("root", sev, _pos(it.root)) if it.root.line > 0 else None
        shape = shape_key(it.diag)
        key_shape = ("shape", *shape) if shape else None
        idx = None
        for k in (key_name, key_lint, key_root, key_shape):
            if k is not None and k in keys:
                idx = keys[k]
                break
        if idx is None:
            idx = len(buckets)
            buckets.append([])
        buckets[idx].append(it)
        for k in (key_name, key_lint, key_root, key_shape):
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
            out.append(
                Group(lead=first, members=tuple(members), root=first.primary, reason=reason, kind="name")
            )
        elif (
            len(members) > 1
            and (key := lint_key(lead.diag)) is not None
            and all(lint_key(m.diag) == key for m in members[1:])
        ):
            out.append(_lint_group(lead, members))
        elif (
            len(members) > 1
            and (key := shape_key(lead.diag)) is not None
            and all(shape_key(m.diag) == key for m in members[1:])
            and len({_pos(m.root) for m in members}) > 1
        ):
            n = len(members)
            reason = (
                f"the first of {n} places with the same mistake ({key[0]}: expected `{key[2]}`, "
                f"found `{key[3]}`); each place needs the same change"
            )
            out.append(Group(lead=lead, members=tuple(members), root=lead.root, reason=reason, kind="shape"))
        else:
            out.append(Group(lead=lead, members=tuple(members), root=lead.root, reason=lead.reason))
    return out


def _lint_group(lead: Located, members: list[Located]) -> Group:
    """One story for a lint repeated in several places: the first place rustc reports leads."""
    code = lead.diag.code_str or ""
    n = len(members)
    if code == CFG_LINT:
        m = _NAME_RE.findall(lead.diag.message)
        cfg = m[-1] if m else "this cfg"
        reason = (
            f"the first of {n} uses of the cfg `{cfg}`, which the crate never declares; "
            "one declaration clears all of them"
        )
        return Group(lead=lead, members=tuple(members), root=lead.root, reason=reason, kind="cfg")
    reason = f"the first of {n} places where rustc reports the same `{code}` lint; each place needs the same change"
    return Group(lead=lead, members=tuple(members), root=lead.root, reason=reason, kind="lint")
