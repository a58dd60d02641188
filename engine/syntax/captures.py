"""What a closure captures from outside it that the function uses again after it (later on, or in
the loop's next iteration), from the syntax tree: the bindings that plain `move` would take away.

A binding whose `Copy`-ness the syntax shows (a primitive or shared-reference annotation, a number
literal, arithmetic other than `+`, a range loop's variable) is copied in by `move` and stays usable,
so it is not counted. Anything else is: the sandbox, not this module, says whether a clone is needed.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from engine.syntax.tree import ancestors, binding_of, node_at, preorder
from engine.syntax.types import Binding

if TYPE_CHECKING:
    import tree_sitter


def _text(node) -> str:  # noqa: ANN001 - a tree_sitter.Node
    return (node.text or b"").decode("utf-8", "replace") if node is not None else ""


_LOOPS = ("for_expression", "while_expression", "loop_expression")
_PRIMITIVE = frozenset("u8 u16 u32 u64 u128 usize i8 i16 i32 i64 i128 isize f32 f64 bool char".split())
_LITERALS = ("integer_literal", "float_literal", "boolean_literal", "char_literal")


def _plainly_copy(source: bytes, b: Binding) -> bool:
    """The syntax alone shows the binding's value is `Copy` (no clone needed to use it again)."""
    if b.type_text is not None:
        return b.type_text in _PRIMITIVE or b.type_text.startswith("&") and not b.mutable
    decl: tree_sitter.Node | None = node_at(source, b.range.start, b.range.end)
    while decl is not None and decl.type not in ("let_declaration", "for_expression", "parameter"):
        decl = decl.parent
    if decl is None:
        return False
    value = decl.child_by_field_name("value")
    if value is None:
        return False
    if decl.type == "for_expression":
        return value.type == "range_expression"
    if value.type == "binary_expression":  # arithmetic other than `+` (which also joins Strings)
        op = value.child_by_field_name("operator")
        return _text(op) in ("-", "*", "/", "%", "<", ">", "<=", ">=", "==", "!=", "&&", "||")
    return value.type in _LITERALS


def reused_captures(source: bytes, closure, fn) -> tuple[list[Binding], bool]:  # noqa: ANN001
    """The bindings the closure captures that are used after it, and whether one is in the same block."""
    loop = next((a for a in ancestors(closure) if a.type in _LOOPS and a.start_byte >= fn.start_byte), None)
    seen: dict[str, Binding] = {}
    for n in preorder(closure):
        if n.type == "identifier" and (name := _text(n)) not in seen:
            b = binding_of(source, name, n.start_byte)
            if b is not None and b.range.start < closure.start_byte:
                seen[name] = b
    out: list[Binding] = []
    later_in_block = False
    for name, b in seen.items():
        later = [
            n
            for n in preorder(fn)
            if n.type == "identifier"
            and n.start_byte > closure.end_byte
            and _text(n) == name
            and binding_of(source, name, n.start_byte) == b
        ]
        in_loop = loop is not None and b.range.start < loop.start_byte
        if (later or in_loop) and not _plainly_copy(source, b):
            out.append(b)
            later_in_block = later_in_block or bool(later)
    return out, later_in_block


def closure_at(source: bytes, start: int, end: int):  # noqa: ANN201 - (closure, fn) nodes or None
    """The closure around a span and the function around it."""
    node = node_at(source, start, end)
    chain = (node, *ancestors(node))
    closure = next((a for a in chain if a.type == "closure_expression"), None)
    fn = next((a for a in chain if a.type == "function_item"), None)
    return (closure, fn) if closure is not None and fn is not None else None


def captures_fresh_per_iteration(source: bytes, start: int, end: int) -> bool:
    """A closure in a loop's body that captures nothing the loop needs again: plain `move` holds."""
    found = closure_at(source, start, end)
    if found is None:
        return False
    closure, fn = found
    loop = next((a for a in ancestors(closure) if a.type in _LOOPS and a.start_byte >= fn.start_byte), None)
    return loop is not None and not reused_captures(source, closure, fn)[0]


def mutated_copy_captures(source: bytes, start: int, end: int) -> list[str]:
    """The `Copy` bindings (by the syntax, as `_plainly_copy`) that the closure around the span
    assigns to (`n += 1`, `n = ..`) and that the function reads after the closure. `move` would give
    the closure its own copy: its changes would never reach the outer binding, which stays as it was,
    so `move` compiles and computes the wrong value."""
    found = closure_at(source, start, end)
    if found is None:
        return []
    closure, fn = found
    out: list[str] = []
    for n in preorder(closure):
        if n.type not in ("assignment_expression", "compound_assignment_expr"):
            continue
        left = n.child_by_field_name("left")
        if left is None or left.type != "identifier" or (name := _text(left)) in out:
            continue
        b = binding_of(source, name, left.start_byte)
        if b is None or b.range.start >= closure.start_byte or not _plainly_copy(source, b):
            continue
        if any(
            m.type == "identifier"
            and m.start_byte > closure.end_byte
            and _text(m) == name
            and binding_of(source, name, m.start_byte) == b
            for m in preorder(fn)
        ):
            out.append(name)
    return out
