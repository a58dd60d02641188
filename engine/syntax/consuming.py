"""Whether a `&self` method could take `self` by value: its calls in a file, and what each hands over.

The general mistake it serves: a method written `fn build(&self) -> Out` whose body moves the fields
out (E0507 "cannot move out of `self.x` which is behind a shared reference"), while every caller
is done with the value when it calls the method: a builder chain by value
(`Builder::new().a(1).build()`), a temporary, or a local whose last use is that call. Then the
signature is the mistake, and `fn build(self)` moves the fields for free where a clone per field
copies them. A call whose receiver is `self` (another `&self` method), a borrow (`(&b).build()`),
or a local named again after the call cannot give the value up: the method then keeps `&self`.

Calls are found by name (`.build(`) in a file; the sandbox decides the rest (a receiver behind a
reference, a trait that declares the method).

`call_on_place` answers the other question of a value moved out of a borrow: which method call takes
the place by value (`self.title.unwrap_or_else(..)`), and its arguments, so a borrowed view
(`engine.repair.borrowed_view`) can be put in front of it. Pure: bytes in, Structs out.
"""

from __future__ import annotations

import tree_sitter

from engine.syntax.tree import _range, ancestors, node_at, node_text, parse, preorder
from engine.syntax.types import Base, Range

_FN_KINDS = ("function_item", "closure_expression")


class Handover(Base, frozen=True):
    """One call `recv.name(..)`: its receiver's text, and whether the caller gives the value up."""

    receiver: str
    line: int
    gives_up: bool
    why_not: str = ""  # when it does not: "`b` is used again at line 12"


def _later_use(recv: tree_sitter.Node, call: tree_sitter.Node) -> int | None:
    """The line of a use of the local `recv` names after `call`, in the function around it."""
    name = node_text(recv)
    scope = next((a for a in ancestors(call) if a.type in _FN_KINDS), None)
    if scope is None:
        return None
    for n in preorder(scope):
        if n.start_byte >= call.end_byte and n.type == "identifier" and node_text(n) == name:
            return n.start_point[0] + 1
    return None


def handovers(source: bytes, method: str) -> list[Handover]:
    """Every `.method(..)` call in the file, with what its receiver is."""
    out: list[Handover] = []
    for n in preorder(parse(source).root_node):
        if n.type != "call_expression":
            continue
        callee = n.child_by_field_name("function")
        if callee is None or callee.type != "field_expression":
            continue
        if node_text(callee.child_by_field_name("field")) != method:
            continue
        recv = callee.child_by_field_name("value")
        if recv is None:
            continue
        text, line = node_text(recv), n.start_point[0] + 1
        if recv.type == "self":
            out.append(
                Handover(
                    receiver=text, line=line, gives_up=False, why_not="the caller holds `self` by reference"
                )
            )
        elif recv.type == "reference_expression" or text.startswith("&"):
            out.append(Handover(receiver=text, line=line, gives_up=False, why_not=f"`{text}` is a borrow"))
        elif recv.type == "identifier":
            later = _later_use(recv, n)
            why = f"`{text}` is used again at line {later}" if later is not None else ""
            out.append(Handover(receiver=text, line=line, gives_up=later is None, why_not=why))
        elif recv.type == "field_expression":
            out.append(Handover(receiver=text, line=line, gives_up=False, why_not=f"`{text}` is a field"))
        else:  # a call chain or a constructor: a temporary, nobody else holds it
            out.append(Handover(receiver=text, line=line, gives_up=True))
    return out


def impl_type(source: bytes, at: int) -> str:
    """The type name of the `impl` block around byte `at` (`Builder` for `impl<T> Builder<T>`)."""
    for a in ancestors(node_at(source, at, at + 1)):
        if a.type == "impl_item":
            return node_text(a.child_by_field_name("type")).split("<")[0].split("::")[-1]
    return ""


class ConsumingCall(Base, frozen=True):
    """`place.method(args)` where the method takes the place by value: the call's range and parts."""

    method: str
    call: Range  # the whole `place.method(args)`
    args: tuple[Range, ...]


def call_on_place(source: bytes, start: int, end: int) -> ConsumingCall | None:
    """The method call whose receiver is exactly the place at [start, end) (`self.title` in
    `self.title.unwrap_or_else(..)`), or None when the place is not a call's receiver."""
    place = node_at(source, start, end)
    field = place.parent
    if field is None or field.type != "field_expression" or field.child_by_field_name("value") != place:
        return None
    call = field.parent
    if call is None or call.type != "call_expression" or call.child_by_field_name("function") != field:
        return None
    args = call.child_by_field_name("arguments")
    return ConsumingCall(
        method=node_text(field.child_by_field_name("field")),
        call=_range(call),
        args=tuple(_range(a) for a in (args.named_children if args is not None else ())),
    )


def closure_body(source: bytes, arg: Range) -> Range | None:
    """The body of a closure with no parameters (`|| "x".to_string()` gives `"x".to_string()`)."""
    n = node_at(source, arg.start, arg.end)
    params = n.child_by_field_name("parameters") if n.type == "closure_expression" else None
    body = n.child_by_field_name("body") if n.type == "closure_expression" else None
    if body is None or params is None or params.named_children or body.type == "block":
        return None
    return _range(body)
