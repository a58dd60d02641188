"""E0368 `a += b` on a type that implements `Add` but not `AddAssign` (a money or vector type with only
the binary operator): `a = a + b` uses the operator the type has. Only for a plain place on the left,
so it is read once as before; a compound right side is parenthesized (`a -= x - y` is `a = a - (x - y)`).
Whether the type has the binary operator is the sandbox's to find out. Pure."""

from __future__ import annotations

import re

from engine.repair.template_kit import Reader, _make, _primary, _span_text
from engine.repair.types import Candidate, Edit
from toolbelt.types import Diagnostic

_ASSIGN = re.compile(r"(?P<lhs>[A-Za-z_][\w.]*)\s*(?P<op><<|>>|[-+*/%^&|])=\s*(?P<rhs>.+)", re.S)
_SIMPLE = re.compile(r"[*&]*[\w.:]+(?:\([^()]*\))?")


def binary_for_assign(d: Diagnostic, read: Reader) -> list[Candidate]:
    span = _primary(d)
    if d.code_str != "E0368" or span is None:
        return []
    m = _ASSIGN.fullmatch((_span_text(span, read) or "").strip())
    if m is None:
        return []
    rhs = m.group("rhs").strip()
    if not _SIMPLE.fullmatch(rhs):
        rhs = f"({rhs})"
    lhs, op = m.group("lhs"), m.group("op")
    text = f"{lhs} = {lhs} {op} {rhs}"
    edit = Edit(file=span.file_name, start=span.byte_start, end=span.byte_end, replacement=text)
    return [_make([edit], f"use the binary `{op}` the type has: `{text}`", "assign-as-binary", "E0368", 0.7)]
