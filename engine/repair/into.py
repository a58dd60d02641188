"""`.into()` to a type that has no `From` for the value, but has one for a string or an owned value. Pure.

E0277 "the trait bound `Vec<u8>: From<Literal>` is not satisfied" on `lit.into()`, where rustc lists
"`Vec<u8>` implements `From<String>`": the step in between was lost (`lit.to_string().into()`).
For `From<&T>` given `T`-by-reference mistakes the owned form (`From<T>` for `&T`) clones first.
"""

from __future__ import annotations

import re

from engine.repair.template_kit import Reader, _make, _primary, _span_text
from engine.repair.types import Candidate, Edit
from toolbelt.types import Diagnostic

_BOUND = re.compile(r"the trait bound `(?P<target>.+?): From<(?P<src>.+)>` is not satisfied")
_STRINGS = ("String", "&str", "&String", "Box<str>")


def _implemented_sources(d: Diagnostic, target: str) -> set[str]:
    """The `X` of every "`target` implements `From<X>`" rustc lists in its help."""
    out: set[str] = set()
    prefix = f"`{target}` implements `From<"
    for c in d.children:
        labels = [s.label or "" for s in c.spans] + c.message.splitlines()
        for label in labels:
            label = label.strip()
            if label.startswith(prefix) and label.endswith(">`"):
                out.add(label[len(prefix) : -2])
    return out


def conversion_before_into(d: Diagnostic, read: Reader) -> list[Candidate]:
    span = _primary(d)
    m = _BOUND.search(d.message)
    if span is None or m is None or _span_text(span, read) not in ("into", "try_into"):
        return []
    data = read(span.file_name)
    if data is None or data[span.byte_start - 1 : span.byte_start] != b".":
        return []
    target, src = m.group("target"), m.group("src")
    sources = _implemented_sources(d, target)
    pos = span.byte_start - 1
    code = d.code_str or "E0277"

    def before(s: str, why: str, score: float) -> Candidate:
        return _make(
            [Edit(file=span.file_name, start=pos, end=pos, replacement=s)], why, "convert", code, score
        )

    out: list[Candidate] = []
    if src.startswith("&") and src.removeprefix("&mut ").removeprefix("&") in sources:
        out.append(before(".clone()", "convert an owned clone", 0.6))
    if src not in _STRINGS and sources & set(_STRINGS):
        out.append(before(".to_string()", f"go through a `String`: `{target}` converts from one", 0.55))
    return out
