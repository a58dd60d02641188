"""Integer divisions whose quotient ends up a float: where one is, what float its place declares,
and whether a rewritten line still divides in integers. Pure over the source.

The general mistake this serves: when the value of `a / b` must be a float (the fn returns `f64`, a
`let` says `f32`) and the operands are integers, a conversion placed around or inside the division
(`(a / b as i32).into()`, `(a as usize / b) as f64`) type-checks and still divides in integers, so
`5 / 2` gives 2.0 where the code's own type asked for 2.5. The fraction survives only when each
operand is converted to the float before dividing (`a as f64 / b as f64`).
"""

from __future__ import annotations

import tree_sitter

from engine.syntax.returned_tails import tails
from engine.syntax.tree import ancestors, node_at, node_text, parse, preorder

FLOATS = ("f32", "f64")
INTS = frozenset("i8 i16 i32 i64 i128 isize u8 u16 u32 u64 u128 usize".split())
# an operand that needs no parentheses before `as`: `x`, `m.trace()`, `xs[i]`, `self.n`, `3`
_ATOMIC = frozenset(
    ("identifier", "call_expression", "field_expression", "index_expression", "integer_literal", "self")
)


def _unparen(n: tree_sitter.Node) -> tree_sitter.Node:
    while n.type == "parenthesized_expression" and n.named_children:
        n = n.named_children[0]
    return n


def _outer(n: tree_sitter.Node) -> tree_sitter.Node:
    """`n` with the parentheses around it: the node whose parent says where its value goes."""
    while n.parent is not None and n.parent.type == "parenthesized_expression":
        n = n.parent
    return n


def _is_division(n: tree_sitter.Node | None) -> bool:
    op = n.child_by_field_name("operator") if n is not None and n.type == "binary_expression" else None
    return op is not None and op.type == "/"


def division(source: bytes, start: int, end: int) -> tree_sitter.Node | None:
    """The `a / b` that [start, end) is (parentheses allowed) or is an operand of, else None."""
    n = node_at(source, start, end)
    if _is_division(_unparen(n)):
        return _unparen(n)
    outer = _outer(n)
    return outer.parent if _is_division(outer.parent) else None


def float_place(source: bytes, expr: tree_sitter.Node) -> str | None:
    """The float type the code declares for the value of `expr`: the enclosing fn's return type when
    `expr` is one of its body's returned tails or a `return` value, a `let`'s annotation; else None."""
    outer = _outer(expr)
    p = outer.parent
    if p is not None and p.type == "let_declaration" and p.child_by_field_name("value") == outer:
        ty = node_text(p.child_by_field_name("type"))
        return ty if ty in FLOATS else None
    fn = next((a for a in ancestors(outer) if a.type in ("function_item", "closure_expression")), None)
    if fn is None or fn.type != "function_item":
        return None
    ret = node_text(fn.child_by_field_name("return_type"))
    if ret not in FLOATS:
        return None
    if p is not None and p.type == "return_expression":
        return ret
    body = fn.child_by_field_name("body")
    returned = tails(body) if body is not None else []
    return ret if any(t == outer or _unparen(t) == _unparen(outer) for t in returned) else None


def _as_float(n: tree_sitter.Node, ty: str) -> str:
    inner = _unparen(n)
    if inner.type == "type_cast_expression" and node_text(inner.child_by_field_name("type")) in INTS:
        inner = inner.child_by_field_name("value") or inner  # `n as i32` -> `n as f64`, not `n as i32 as f64`
    text = node_text(inner)
    return (
        f"{text} as {ty}" if inner.type in _ATOMIC or inner.type.endswith("_literal") else f"({text}) as {ty}"
    )


def float_quotient(div: tree_sitter.Node, ty: str) -> str:
    """`a as F / b as F` for the division `a / b`: each operand made the float before dividing."""
    left, right = div.child_by_field_name("left"), div.child_by_field_name("right")
    assert left is not None and right is not None
    return f"{_as_float(left, ty)} / {_as_float(right, ty)}"


def _floaty(n: tree_sitter.Node) -> bool:
    n = _unparen(n)
    if n.type == "float_literal":
        return True
    if n.type == "type_cast_expression":
        return node_text(n.child_by_field_name("type")) in FLOATS
    if n.type == "binary_expression":
        return any(_floaty(c) for c in (n.child_by_field_name("left"), n.child_by_field_name("right")) if c)
    return False


def _int_cast(n: tree_sitter.Node) -> bool:
    n = _unparen(n)
    return n.type == "type_cast_expression" and node_text(n.child_by_field_name("type")) in INTS


def _to_float(div: tree_sitter.Node) -> bool:
    """The quotient goes through a conversion to a float: `(q) as f64`, `(q).into()`, `f64::from(q)`."""
    outer = _outer(div)
    p = outer.parent
    if p is None:
        return False
    if p.type == "type_cast_expression":
        return node_text(p.child_by_field_name("type")) in FLOATS
    if p.type == "field_expression" and p.parent is not None and p.parent.type == "call_expression":
        return node_text(p.child_by_field_name("field")) == "into"
    if p.type == "arguments" and p.parent is not None and p.parent.type == "call_expression":
        return node_text(p.parent.child_by_field_name("function")) in ("f64::from", "f32::from")
    return False


def truncates(lines: list[str], ints: frozenset[str] = frozenset(), known: bool = False) -> bool:
    """Whether the written lines convert an integer quotient to a float: a `/` whose result is cast
    or `.into()`-ed to `f32`/`f64` while no operand is a float. The operands are known integers when
    one is cast to an integer type, is a name the lines rebind with an integer cast (`ints`), or
    `known` (rustc typed the division as an integer)."""
    text = "\n".join(lines)
    tree = parse(f"fn _rusta_probe() {{\n{text}\n}}\n".encode())
    for n in preorder(tree.root_node):
        op = n.child_by_field_name("operator") if n.type == "binary_expression" else None
        if op is None or op.type != "/" or not _to_float(n):
            continue
        left, right = n.child_by_field_name("left"), n.child_by_field_name("right")
        if left is None or right is None or _floaty(left) or _floaty(right):
            continue
        names = {node_text(_unparen(c)) for c in (left, right)}
        if known or _int_cast(left) or _int_cast(right) or names & ints:
            return True
    return False


def int_rebinds(lines: list[str]) -> frozenset[str]:
    """The names the lines rebind with an integer cast: `n` for `let n = n as i32;`."""
    out = set()
    tree = parse(f"fn _rusta_probe() {{\n{chr(10).join(lines)}\n}}\n".encode())
    for n in preorder(tree.root_node):
        if n.type == "let_declaration" and _int_cast(n.child_by_field_name("value") or n):
            out.add(node_text(n.child_by_field_name("pattern")))
    return frozenset(out)
