"""Consequences: an error that rustc derives from another story's error joins that story. A method whose
trait bounds fail because an earlier step lacks `Clone`, `u32 + usize` reported as a type mismatch and
again as a missing `Add<usize>`, unmet bounds on a closure whose signature another error rejects, a
struct pattern's missing field that a misspelt one explains, a query cycle (E0391) on a type that
E0072 says contains itself: one mistake, seen twice. Split from `engine.explain.grouping`, which
calls `merge_consequences` last.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from engine.explain.placeholders import texts
from engine.facts.parse import facts_of
from toolbelt.types import Diagnostic

if TYPE_CHECKING:
    from engine.explain.grouping import Group, Located


def _is_error(d: Diagnostic) -> bool:
    return d.level.startswith("error")


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
    if bc not in _DERIVED_CODES or ac not in _CLOSURE_CAUSE_CODES or not _is_error(a.diag):
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
    if bc not in _DERIVED_CODES or ac not in _CAUSE_CODES or not _is_error(a.diag):
        return False
    if bc == "E0599" and "trait bounds were not satisfied" not in _texts(b.diag):
        return False
    if bc == "E0277" and not re.search(r"no implementation for `", _texts(b.diag)):
        return False
    typ = _cause_type(a.diag)
    if not typ or len(typ) < 2:
        return False
    return re.search(rf"(?<![\w:]){re.escape(typ)}(?![\w])", _texts(b.diag)) is not None


def merge_consequences(groups: list[Group]) -> list[Group]:
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
