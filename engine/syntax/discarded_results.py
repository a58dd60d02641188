"""A by-value method call whose result is thrown away: `b.header(..);` as a whole statement.

The general mistake it names: a consuming method (a builder's `header`, a `with_*` setter, any
`fn m(self, ..) -> Self`) returns the updated value, and the caller writes the call as a statement,
as if the method changed `b` in place. The change lives only in the result the statement drops, and
`b` itself is moved, so the next use of `b` is E0382. The fix keeps the result: `b = b.header(..);`
(with `let mut b`), or one chain. A borrow cannot avoid that move (the method takes `self`), and no
order of the code keeps the change.

rustc does not always say so: its note "`T::m` takes ownership of the receiver `self`" is missing
when an argument holds a borrowed temporary (`b.header("k", &format!(..))` is reported as "value
moved here" at `b`). So the shape is read from the tree (the moved place is a call's receiver, and
the call is an expression statement), and the signature from the crate's own impl of the receiver's
type: a `self` (or `mut self`) parameter and a return type that is `Self` or that type. Pure: bytes
in, Structs out.
"""

from __future__ import annotations

import tree_sitter

from engine.syntax.method_outputs import method_of
from engine.syntax.receivers import base_type
from engine.syntax.tree import _range, ancestors, fn_sig, node_at, node_text, parse
from engine.syntax.types import Base, Range


class DiscardedCall(Base, frozen=True):
    """`recv.method(..);`: the receiver, the method, the statement and the call it holds."""

    receiver: str
    method: str
    statement: Range
    call: Range


class SelfReturn(Base, frozen=True):
    """What the method's signature says: `self` by value, and the result is the receiver's type."""

    by_value: bool
    returns_receiver_type: bool


def _method_call(node: tree_sitter.Node, start: int, end: int) -> tree_sitter.Node | None:
    """The method call whose receiver is exactly [start, end), or whose method name and arguments
    rustc's "moved due to this method call" label covers (`header(..)`)."""
    for n in (node, *ancestors(node)):
        if n.type != "call_expression":
            continue
        callee = n.child_by_field_name("function")
        if callee is None or callee.type != "field_expression":
            return None
        recv, field = callee.child_by_field_name("value"), callee.child_by_field_name("field")
        if recv is not None and (recv.start_byte, recv.end_byte) == (start, end):
            return n
        if field is not None and field.start_byte == start and n.end_byte == end:
            return n
        return None
    return None


def discarded_call(source: bytes, start: int, end: int) -> DiscardedCall | None:
    """The call at rustc's move span, when it is `local.m(..);`: a statement of a block whose value
    nobody takes. None for a call whose result is bound, returned, passed on or chained."""
    call = _method_call(node_at(source, start, end), start, end)
    if call is None:
        return None
    stmt = call.parent
    if stmt is None or stmt.type != "expression_statement":
        return None
    callee = call.child_by_field_name("function")
    recv = callee.child_by_field_name("value") if callee is not None else None
    field = callee.child_by_field_name("field") if callee is not None else None
    if recv is None or field is None or recv.type != "identifier":
        return None
    return DiscardedCall(
        receiver=node_text(recv), method=node_text(field), statement=_range(stmt), call=_range(call)
    )


def self_return(sources: list[bytes], owner: str, method: str) -> SelfReturn | None:
    """The signature of `owner::method` in the crate's files (`owner` as rustc types the receiver,
    `RequestBuilder` or `b::Builder<T>`); None when no file defines exactly one."""
    base = base_type(owner)
    if not base:
        return None
    for src in sources:
        fn = method_of(parse(src).root_node, base, method)
        if fn is None:
            continue
        sig = fn_sig(fn)
        ret = (sig.return_type or "").strip()
        return SelfReturn(
            by_value=sig.self_param in ("self", "mut self"),
            returns_receiver_type=ret == "Self" or (bool(ret) and base_type(ret, base) == base),
        )
    return None
