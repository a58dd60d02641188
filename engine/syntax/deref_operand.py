"""What a `*` at a span dereferences: a plain binding or a place reached through another value.

`deref_operand` answers "binding" for `*x` (a local name), "place" for `*f.score`, `*v[i]` or
`*self.n` (a field or an element, reached through a struct, a reference or a collection: removing the
`*` still names that place, so a change through it reaches it), None when the span is not a `*`.

Pure: bytes and byte offsets in, a word out. Tree-sitter nodes never leave this module.
"""

from __future__ import annotations

from typing import Literal

from engine.syntax.tree import ancestors, node_at

_PLACES = ("field_expression", "index_expression")


def deref_operand(source: bytes, start: int, end: int) -> Literal["binding", "place"] | None:
    node = node_at(source, start, end)
    for n in (node, *ancestors(node)):
        if n.type == "unary_expression" and n.children and n.children[0].type == "*":
            operand = n.named_children[0] if n.named_children else None
            while (
                operand is not None and operand.type == "parenthesized_expression" and operand.named_children
            ):
                operand = operand.named_children[0]
            if operand is None:
                return None
            if operand.type == "identifier":
                return "binding"
            return "place" if operand.type in _PLACES else None
        if n.end_byte - n.start_byte > (end - start) + 2:
            return None
    return None
