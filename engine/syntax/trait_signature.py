"""Whether a function's signature is its own to change, and what owned data its `self` lends.

Why: a method of `impl Trait for Type` has the signature the trait declares; a lifetime tied
differently or an outlives bound added there is E0195/E0308 ("not compatible with trait"), so
advice to change that signature is false. What can change is what the type holds: when the method
returns a borrow into an owned field of `self` (a `String`, a `Vec`), the type can hold a borrow of
the caller's data instead, and the trait's lifetime then covers it.

Pure: bytes in, facts out.
"""

from __future__ import annotations

import re

from engine.syntax.struct_items import struct_defs
from engine.syntax.tree import ancestors, node_at, node_text, preorder

_OWNED = re.compile(r"(?:std::string::)?String|(?:std::vec::)?Vec<.+>|Box<.+>")


def _impl_of(source: bytes, start: int, end: int):
    node = node_at(source, start, end)
    fn = next((a for a in (node, *ancestors(node)) if a.type == "function_item"), None)
    if fn is None:
        return None, None
    impl = next((a for a in ancestors(fn) if a.type in ("impl_item", "trait_item")), None)
    return fn, impl


def trait_fixes_signature(source: bytes, start: int, end: int) -> bool | None:
    """True: the fn at the span is a method of `impl Trait for Type` or a trait's own default
    method; False: a free fn or an inherent method; None: no fn encloses the span."""
    fn, impl = _impl_of(source, start, end)
    if fn is None:
        return None
    if impl is None:
        return False
    return impl.type == "trait_item" or impl.child_by_field_name("trait") is not None


def owned_self_fields_read(source: bytes, start: int, end: int) -> tuple[str, ...]:
    """The fields `self.f` the fn at the span reads whose declared type (the impl's struct, same
    file) is owned data a borrow can point into: `String`, `Vec<..>`, `Box<..>`."""
    fn, impl = _impl_of(source, start, end)
    if fn is None or impl is None or impl.type != "impl_item":
        return ()
    owner = re.sub(r"<.*", "", node_text(impl.child_by_field_name("type"))).strip()
    fields = {f.name: f.type_text for s in struct_defs("", source) if s.name == owner for f in s.fields}
    read: list[str] = []
    for n in preorder(fn):
        if n.type != "field_expression":
            continue
        value, field = n.child_by_field_name("value"), n.child_by_field_name("field")
        name = node_text(field)
        if node_text(value) == "self" and _OWNED.fullmatch(fields.get(name, "").replace(" ", "")):
            if name not in read:
                read.append(name)
    return tuple(read)
