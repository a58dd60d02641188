"""The type the program writes for the place an expression's value goes to, where that place is a
coercion site: a value the fn returns (its body's tail, or a `return`) goes to the written return
type, and a `let x: T = ..` initializer goes to `T`.

Why: an expression's own type is not the type it has where it stands. `Some(&lower)` on its own is
`Option<&String>`; returned from a fn written `-> Option<&str>`, rustc coerces it to `Option<&str>`.
Quoting the first as what the code has is the mistake this answers: a type probe asks of the
expression alone, so its answer for an expression in such a place is said beside the written type.
Pure over the source.
"""

from __future__ import annotations

import tree_sitter

from engine.syntax.returned_tails import tails
from engine.syntax.tree import ancestors, node_at, node_text

_FN_KINDS = ("function_item", "closure_expression")


def _at(source: bytes, start: int, text: str) -> tree_sitter.Node | None:
    """The node whose text is `text` starting at byte `start` (the widest such one), if any."""
    want = text.encode("utf-8")
    node: tree_sitter.Node | None = node_at(source, start, start + len(want))
    found = None
    while node is not None and node.start_byte == start and node.end_byte <= start + len(want):
        if node.end_byte == start + len(want):
            found = node
        node = node.parent
    return found


def _written_for(
    body: tree_sitter.Node | None, written: tree_sitter.Node | None, n: tree_sitter.Node
) -> str | None:
    if body is None or written is None:
        return None
    if any(t.id == n.id for t in tails(body)):
        return node_text(written)
    return None


def written_target(source: bytes, start: int, text: str) -> str | None:
    """The written type of the coercion site the expression `text` at byte `start` is the value of:
    the enclosing fn's (or typed closure's) return type when it is a tail of the body or of a
    `return`, the annotation of a typed `let` when it is a tail of the initializer. None elsewhere,
    or when nothing is written there."""
    n = _at(source, start, text)
    if n is None:
        return None
    for a in ancestors(n):
        if a.type == "return_expression":
            value = a.named_children[0] if a.named_children else None
            if value is None or not any(t.id == n.id for t in tails(value)):
                return None
            fn = next((f for f in ancestors(a) if f.type in _FN_KINDS), None)
            return node_text(fn.child_by_field_name("return_type")) or None if fn is not None else None
        if a.type == "let_declaration":
            return _written_for(a.child_by_field_name("value"), a.child_by_field_name("type"), n)
        if a.type in _FN_KINDS:
            return _written_for(a.child_by_field_name("body"), a.child_by_field_name("return_type"), n)
    return None
