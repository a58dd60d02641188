"""Grouping: one root cause that produces several diagnostics is one story, not five.

Four rules, all pure: diagnostics of the same severity whose root cause is the same place form one
group; unresolved-name errors (E0425, E0433, E0412, E0432, ...) about the same name form one group
whose root cause is the earliest occurrence; lint warnings with the same code and the same message
once item names are blanked (`dead_code` for ten functions, `needless_return` five times) form one
group whose root cause is the first place rustc reports. `unexpected_cfgs` keeps the cfg's name in
its key: every use of one undeclared cfg is one story, because one declaration fixes them all.
Compile errors of one shape (same code, same message once names are blanked, same expected and
found types in their typed facts) are one story too: one mistake made in several places. And an
error that rustc derives from another on the same line (a method whose trait bounds fail because
an earlier step lacks `Clone`; `u32 + usize` reported as a type mismatch and again as a missing
`Add<usize>`) joins that error's story: one mistake, seen twice. Errors that state the same fact
about one type (`ConfigError` lacks `From<ParseIntError>` at every `?`; a field read twice on a
future that was never awaited; one missing method called twice) are one story as well: one cause,
reported at each use (`cause_key`). A query cycle (E0391) on a type that E0072 says contains itself
is that error's knock-on: the same missing indirection.
"""

from __future__ import annotations

import re
from typing import Literal, NamedTuple

from engine.explain.placeholders import short_type, texts
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

GroupKind = Literal["root", "name", "lint", "cfg", "shape", "consequence", "type"]


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


_NOT_IMPL = re.compile(r"the trait `([^`]+)` is not implemented for `([^`]+)`")
_ON_TYPE = re.compile(r"\bon type `([^`]+)`")


def _primary_label(d: Diagnostic) -> str:
    return next((s.label or "" for s in d.spans if s.is_primary), "")


def cause_key(d: Diagnostic) -> tuple[str, str, str] | None:
    """(code, the type, what rustc says of it) for a compile error that states one fact about one
    type, so that every error with the same key has one cause: the type lacks the trait (E0277), a
    field is read on a type that only wraps the struct (E0609 whose label says where the field is;
    "unknown field" is a typo per place, not one cause), or the same method is missing on the same
    type (E0599, the same message word for word)."""
    code = d.code_str or ""
    if _severity(d) != "error":
        return None
    if code == "E0277":
        m = next((m for t in texts(d) if (m := _NOT_IMPL.search(t))), None)
        return (code, short_type(m.group(2)), short_type(m.group(1))) if m else None
    if code in ("E0609", "E0610"):
        m, label = _ON_TYPE.search(d.message), _primary_label(d)
        if m and label and not label.startswith("unknown field"):
            return code, short_type(m.group(1)), _TICKED_RE.sub("`_`", label)
        return None
    if code == "E0599":
        names = _NAME_RE.findall(d.message)
        return (code, short_type(names[-1]), d.message) if names else None
    return None


def fix_site(d: Diagnostic) -> tuple[str, int] | None:
    """Where rustc's help would edit to restrict a type parameter (`T: Clone + Hash` at the line of
    `T`'s bounds). A type parameter is a different type in each item that declares it: two errors
    that `T` lacks `Hash` in two functions are two fixes, not one cause."""
    for c in d.children:
        if "type parameter" not in c.message:
            continue
        for s in c.spans:
            if s.suggested_replacement is not None:
                return s.file_name, s.line_start
    return None


_BORROW_CODES = frozenset({"E0499", "E0502", "E0505", "E0506"})


def borrowed_place(d: Diagnostic) -> str | None:
    """The place a borrow conflict is about (`self.items` in "cannot borrow `self.items` as
    mutable"): two conflicts with one earlier borrow but on different places (`*self` through a
    method, `self.items` itself) need different fixes, so one root span alone is not one cause."""
    if (d.code_str or "") not in _BORROW_CODES:
        return None
    m = _NAME_RE.search(d.message)
    return m.group(1) if m else None


def cause_fact(key: tuple[str, str, str]) -> str:
    """The fact a `cause_key` stands for, in words."""
    code, typ, what = key
    return f"`{typ}` lacks `{what}`" if code == "E0277" else f"rustc reports the same {code} on `{typ}`"


def _cause_reason(key: tuple[str, str, str], n: int) -> str:
    return f"the first of {n} places where {cause_fact(key)}: one cause, reported at each use"


def _traits_reason(members: list[Located]) -> str | None:
    """One type missing several traits at one place (a map key without `Eq` and `Hash`): one story
    that names them all, since one derive list can carry them (rustc suggests each derive alone)."""
    keys = [cause_key(m.diag) for m in members]
    if any(k is None or k[0] != "E0277" for k in keys) or len({k[1] for k in keys if k}) != 1:
        return None
    typ = keys[0][1] if keys[0] else ""
    traits = list(dict.fromkeys(k[2] for k in keys if k))
    if len(traits) < 2:
        return None
    named = ", ".join(f"`{t}`" for t in traits[:-1]) + f" and `{traits[-1]}`"
    derive = all(
        any(re.search(rf"#\[derive\({re.escape(t)}\)\]", c.message) for c in m.diag.children)
        for m, t in zip(members, (k[2] for k in keys if k), strict=True)
    )
    tail = f"; one `#[derive({', '.join(traits)})]` on `{typ}` gives {'both' if len(traits) == 2 else 'all of them'} (rustc suggests each alone)"
    return f"`{typ}` needs {named} here{tail if derive else ''}"


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
        key_root = ("root", sev, _pos(it.root), borrowed_place(it.diag)) if it.root.line > 0 else None
        shape = shape_key(it.diag)
        key_shape = ("shape", *shape) if shape else None
        cause = cause_key(it.diag)
        key_cause = ("type", *cause, fix_site(it.diag)) if cause else None
        keyset = (key_name, key_lint, key_root, key_shape, key_cause)
        idx = None
        for k in keyset:
            if k is not None and k in keys:
                idx = keys[k]
                break
        if idx is None:
            idx = len(buckets)
            buckets.append([])
        buckets[idx].append(it)
        for k in keyset:
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
        elif (
            len(members) > 1
            and (key := cause_key(lead.diag)) is not None
            and all(cause_key(m.diag) == key for m in members[1:])
            and len({fix_site(m.diag) for m in members}) == 1
            and len({_pos(m.root) for m in members}) > 1
        ):
            reason = _cause_reason(key, len(members))
            out.append(Group(lead=lead, members=tuple(members), root=lead.root, reason=reason, kind="type"))
        elif len(members) > 1 and (reason := _traits_reason(members)) is not None:
            out.append(Group(lead=lead, members=tuple(members), root=lead.root, reason=reason))
        else:
            out.append(Group(lead=lead, members=tuple(members), root=lead.root, reason=lead.reason))
    return _merge_consequences(out)


_DERIVED_CODES = frozenset({"E0599", "E0277"})
_CAUSE_CODES = frozenset({"E0308", "E0277"})


def _texts(d: Diagnostic) -> str:
    return "\n".join(texts(d))


def _cause_type(d: Diagnostic) -> str | None:
    """The type an error is about: the found type of a mismatch, the type that lacks a trait."""
    f = facts_of(d)
    if (d.code_str or "") == "E0308":
        return f.found
    m = re.search(r"the trait bound `([^`]+?): [^`]+` is not satisfied", d.message) or re.search(
        r"is not implemented for `([^`]+)`", _texts(d)
    )
    return m.group(1) if m else None


# a closure's type as rustc prints it in a bound: `{closure@src/main.rs:39:17: 39:29}`
_CLOSURE_AT = re.compile(r"\{closure@([^:}]+):(\d+):(\d+)")
_CLOSURE_CAUSE_CODES = frozenset({"E0631", "E0308"})


def _closure_consequence(b: Located, a: Located) -> bool:
    """Whether `b`'s unmet bounds (E0599/E0277) are on a closure whose signature error `a` (E0631, or
    an E0308 mismatch) reports at that closure: fixing the closure clears both, wherever `b` points."""
    bc, ac = b.diag.code_str or "", a.diag.code_str or ""
    if bc not in _DERIVED_CODES or ac not in _CLOSURE_CAUSE_CODES or _severity(a.diag) != "error":
        return False
    closures = {
        (f, int(ln), int(col))
        for f, ln, col in _CLOSURE_AT.findall(_texts(b.diag))
        if "/" in f or f.endswith(".rs")
    }
    spans = [s for node in (a.diag, *a.diag.children) for s in node.spans]
    return any(
        s.line_start == ln and s.column_start == col and (s.file_name == f or s.file_name.endswith(f"/{f}"))
        for s in spans
        for f, ln, col in closures
    )


def _inside(a: Diagnostic, b: Diagnostic) -> bool:
    """`a`'s primary span lies within `b`'s."""
    pa, pb = a.primary, b.primary
    return (
        pa is not None
        and pb is not None
        and pa.file_name == pb.file_name
        and (pb.line_start, pb.column_start) <= (pa.line_start, pa.column_start)
        and (pa.line_end, pa.column_end) <= (pb.line_end, pb.column_end)
    )


def _pattern_consequence(b: Located, a: Located) -> bool:
    """`b` says a struct pattern misses a field (E0027) and `a` that the same pattern names a field the
    type lacks (E0026): the misspelt field is the missing one, and its rename clears both."""
    return (b.diag.code_str, a.diag.code_str) == ("E0027", "E0026") and _inside(a.diag, b.diag)


_RECURSIVE = re.compile(r"recursive types? `([^`]+)`")
_CYCLE_FOR = re.compile(r"cycle detected when [^`]*`([^`]+)`")


def _last(path: str) -> str:
    return re.sub(r"<.*", "", path).rsplit("::", 1)[-1]


def _cycle_consequence(b: Located, a: Located) -> bool:
    """Whether `b` is a query cycle (E0391: drop-check constraints, layout) on the type that `a`
    (E0072) says contains itself: both come from the one field without indirection, and boxing it
    clears both."""
    if (b.diag.code_str, a.diag.code_str) != ("E0391", "E0072"):
        return False
    cyc, rec = _CYCLE_FOR.search(b.diag.message), _RECURSIVE.search(a.diag.message)
    return cyc is not None and rec is not None and _last(cyc.group(1)) == _last(rec.group(1))


def fix_sources(g: Group) -> tuple[Diagnostic, ...]:
    """The diagnostics whose suggestions may fix the story: every member, except a pattern's E0027
    that follows from its E0026, whose suggestions keep the misspelt field the lead's rename removes."""
    return tuple(m.diag for m in g.members if m is g.lead or not _pattern_consequence(m, g.lead))


def consequence_of(b: Located, a: Located) -> bool:
    """Whether error `b` is rustc reporting `a`'s mistake again from another angle: `b`'s unmet
    bounds are on the closure whose signature `a` rejects; or both on one line, `b` a bound or
    operator failure (E0599's unmet bounds, E0277's missing operator impl), and `b`'s words name the
    type `a` is about."""
    if b is a:
        return False
    if _closure_consequence(b, a) or _cycle_consequence(b, a) or _pattern_consequence(b, a):
        return True
    if (b.primary.file, b.primary.line) != (a.primary.file, a.primary.line):
        return False
    bc, ac = b.diag.code_str or "", a.diag.code_str or ""
    if bc not in _DERIVED_CODES or ac not in _CAUSE_CODES or _severity(a.diag) != "error":
        return False
    if bc == "E0599" and "trait bounds were not satisfied" not in _texts(b.diag):
        return False
    if bc == "E0277" and not re.search(r"no implementation for `", _texts(b.diag)):
        return False
    typ = _cause_type(a.diag)
    if not typ or len(typ) < 2:
        return False
    return re.search(rf"(?<![\w:]){re.escape(typ)}(?![\w])", _texts(b.diag)) is not None


def _merge_consequences(groups: list[Group]) -> list[Group]:
    """Fold each single-diagnostic group whose error follows from another group's lead into it."""
    out = list(groups)
    i = 0
    while i < len(out):
        g = out[i]
        host = None
        if len(g.members) == 1:
            host = next(
                (h for h in out if h is not g and consequence_of(g.lead, h.lead)),
                None,
            )
        if host is None:
            i += 1
            continue
        j = out.index(host)
        out[j] = host._replace(members=(*host.members, *g.members), kind="consequence")
        del out[i]
        i = 0 if j > i else i
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
