"""A borrowed associated type written without a lifetime in an impl that declares one:
`type Item = &[u8];` in `impl<'a> Iterator for Records<'a>`.

rustc: "associated type `Iterator::Item` is declared without lifetime parameters, so using a
borrowed type for them requires that lifetime to come from the implemented type", at the `&`. Its
note steers toward a new type that borrows the existing one; that redesign is for an iterator that
would lend out its own contents. When the implemented type already holds a borrow (`Records<'a>`),
the lifetime does come from it: it is a lifetime parameter of the impl that the self type uses, and
writing it after the `&` (`&'a [u8]`) says each item borrows the data the type borrows, not the
value itself. The general mistake: an elided lifetime in an associated type, where elision has no
input to tie it to. One candidate per such lifetime; the sandbox says which compiles.
Pure; the syntax layer reads the impl.
"""

from __future__ import annotations

import re

from engine.repair.template_kit import Reader, _make
from engine.repair.types import Candidate, Edit
from engine.syntax.tree import ancestors, node_at
from toolbelt.types import Diagnostic

_UNNAMED = re.compile(
    r"associated type `[^`]+` is declared without lifetime parameters, so using a borrowed type for them "
    r"requires that lifetime to come from the implemented type"
)
_LIFETIME = re.compile(r"'[A-Za-z_]\w*")


def impl_lifetime_in_item(d: Diagnostic, read: Reader) -> list[Candidate]:
    prim = d.primary
    if prim is None or not _UNNAMED.search(d.message or ""):
        return []
    source = read(prim.file_name)
    if source is None or source[prim.byte_start : prim.byte_start + 1] != b"&":
        return []
    impl = next(
        (
            a
            for a in ancestors(node_at(source, prim.byte_start, prim.byte_start + 1))
            if a.type == "impl_item"
        ),
        None,
    )
    params = impl.child_by_field_name("type_parameters") if impl is not None else None
    self_type = impl.child_by_field_name("type") if impl is not None else None
    if params is None or self_type is None:
        return []
    used = set(_LIFETIME.findall((self_type.text or b"").decode("utf-8", "replace")))
    declared = [
        m.group(0)
        for p in params.named_children
        if p.type == "lifetime_parameter" and (m := _LIFETIME.match((p.text or b"").decode())) is not None
    ]
    ty = (self_type.text or b"").decode("utf-8", "replace")
    out: list[Candidate] = []
    for lt in (x for x in declared if x in used and x != "'_"):
        edit = Edit(
            file=prim.file_name, start=prim.byte_start + 1, end=prim.byte_start + 1, replacement=f"{lt} "
        )
        desc = f"borrow for the impl's `{lt}`: each item borrows what `{ty}` borrows, not the value itself"
        out.append(_make([edit], desc, "impl-lifetime", d.code_str or "", 0.85))
    return out
