"""The receiver chain of a method call: the expressions its item type flows through, and no other.

Why a tree: rustc's "the method call chain might not have had the expected associated types" note
follows a local back to its `let`, so one note can hold spans of two separate chains (`hits` built
by `idx.iter().map(..).collect()`, then `hits.iter().map(..).collect()`). Which spans belong to the
chain of the failing call is a question of structure: the call's receiver, and, when the receiver
starts at a local, the value that local was bound to. Pure: bytes in, Ranges out.
"""

from __future__ import annotations

import tree_sitter

from engine.syntax.tree import ancestors, let_initializer, node_at, node_text
from engine.syntax.types import Range

_MAX_LETS = 4  # a chain split over more `let`s than this is followed no further


def _range(node: tree_sitter.Node) -> Range:
    return Range(start=node.start_byte, end=node.end_byte, line=node.start_point[0] + 1, text=node_text(node))


def _called_field(node: tree_sitter.Node, start: int, end: int) -> tree_sitter.Node | None:
    """The `a.b` of the method call `a.b(..)` whose method name lies in [start, end)."""
    for n in (node, *ancestors(node)):
        if n.type == "call_expression":
            f = n.child_by_field_name("function")
            if f is not None and f.type == "generic_function":  # `it.collect::<Vec<_>>()`
                f = f.child_by_field_name("function")
            if f is not None and f.type == "field_expression":
                name = f.child_by_field_name("field")
                if name is not None and name.start_byte <= start < name.end_byte:
                    return f
            return None
    return None


def _root(receiver: tree_sitter.Node) -> tree_sitter.Node:
    """The expression a chain starts at: `hits` in `hits.iter().map(f)`."""
    n = receiver
    while True:
        if n.type == "call_expression" and (f := n.child_by_field_name("function")) is not None:
            inner = f.child_by_field_name("function") if f.type == "generic_function" else f
            if inner is None:
                return n
            n = inner
        elif n.type in ("field_expression", "try_expression", "parenthesized_expression"):
            nxt = n.child_by_field_name("value") or (n.named_children[0] if n.named_children else None)
            if nxt is None:
                return n
            n = nxt
        else:
            return n


def receiver_chain(source: bytes, start: int, end: int) -> tuple[Range, ...]:
    """The receiver of the method call named at [start, end) (rustc's primary span on `collect`),
    then, while the chain starts at a local bound by `let name = value`, that value: the ranges the
    item type of the failing call can flow through, the latest first (rustc's "is `X` here" label
    says where a new iterator starts within them: `totals.iter()` on a collected `totals`). Empty when [start, end) names no
    method call. The general mistake this prevents: reading a step of another statement's chain
    (rustc's note shows both) as a step of this one."""
    field = _called_field(node_at(source, start, end), start, end)
    receiver = field.child_by_field_name("value") if field is not None else None
    out: list[Range] = []
    while receiver is not None and len(out) <= _MAX_LETS:
        out.append(_range(receiver))
        root = _root(receiver)
        if root.type != "identifier":
            break
        value = let_initializer(source, node_text(root), root.start_byte)
        if value is None or any(r.start == value.start for r in out):
            break
        receiver = node_at(source, value.start, value.end)
    return tuple(out)
