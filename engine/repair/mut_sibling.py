"""E0594/E0596 through a reference a std method lent shared: call the method's sibling that lends `&mut`.

    if let Some(c) = counts.get(&w) { *c += 1; }      ->  counts.get_mut(&w)
    for p in players.iter() { p.score = 0; }           ->  players.iter_mut()
    let p = players.first().unwrap(); p.name.push('!') ->  players.first_mut()

rustc's help asks for the binding's type to be `&mut` (`let p: &mut Player = ...`), which fails: the
call still lends `&`. The syntax layer finds the call that made the binding's reference
(`engine.syntax.option_shapes.shared_ref_source`); when the collection is a plain `let` without
`mut`, the edit adds it, since `get_mut` borrows the collection mutably. Pure; the sandbox says
whether the type has that sibling (a `HashSet` has no `get_mut`).
"""

from __future__ import annotations

import re

from engine.repair.template_kit import Reader, _make, primary_source
from engine.repair.types import Candidate, Edit
from toolbelt.diagnostics import in_user_crate
from toolbelt.types import Diagnostic

_SHARED_REF = re.compile(r"^`(\w+)` is a `&` reference, so it cannot be")


def mut_sibling(d: Diagnostic, read: Reader) -> list[Candidate]:
    prim = d.primary
    name = next((m.group(1) for s in d.spans if (m := _SHARED_REF.match(s.label or ""))), None)
    if (
        prim is None
        or name is None
        or not in_user_crate(prim.file_name)
        or (opened := primary_source(d, read)) is None
    ):
        return []
    prim, data = opened
    from engine.syntax.option_shapes import shared_ref_source
    from engine.syntax.tree import binding_of

    src = shared_ref_source(data, name, prim.byte_start)
    if src is None:
        return []
    edits = [Edit(file=prim.file_name, start=src.method_start, end=src.method_end, replacement=src.sibling)]
    owner = binding_of(data, src.receiver_root, src.call_start) if src.receiver_root else None
    if owner is not None and owner.kind == "let" and not owner.mutable:
        if not (owner.type_text or "").startswith("&"):  # a `&mut` it holds needs no `mut` binding
            edits.append(
                Edit(file=prim.file_name, start=owner.range.start, end=owner.range.start, replacement="mut ")
            )
    call = data[src.call_start : src.call_end].decode("utf-8", "replace")
    return [
        _make(
            sorted(edits, key=lambda e: e.start),
            f"call `{src.sibling}` in place of `{src.method}`: `{call}` lends `&`",
            "mut-sibling",
            d.code_str or "E0596",
            0.8,
        )
    ]
