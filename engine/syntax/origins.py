"""Where a value came from, answered by the tree: the questions behind a root cause that rustc's spans
leave at the symptom (the argument, the `spawn` call, the `.clone()` whose type surprised).

- `shared_borrow_of`: the span is `&name` (a shared borrow of a plain variable): the name.
- `holder_of`: among the variables the span uses, the one whose value holds a type named `head`
  (annotation or value: `Rc::new(..)`, `Rc::clone(&x)`), followed back through every copy of the
  handle (`x.clone()`, `let y = x`, a shadowing `let x = Rc::clone(&x)`) to where it was made.
- `plain_name`: the span is exactly one variable's name.
- `clones_by_method`: the span is a `.clone()` call with no arguments.

Pure: bytes and byte offsets in, names and ranges out. Tree-sitter nodes never leave this module.
"""

from __future__ import annotations

from collections.abc import Iterator

import tree_sitter

from engine.syntax.tree import _range, ancestors, binding_of, declaration_of, node_at, preorder
from engine.syntax.types import Binding


def shared_borrow_of(source: bytes, start: int, end: int) -> str | None:
    node = node_at(source, start, end)
    if node.type != "reference_expression" or (node.start_byte, node.end_byte) != (start, end):
        return None
    if any(c.type == "mutable_specifier" for c in node.children):
        return None
    value = node.child_by_field_name("value")
    return (value.text or b"").decode() if value is not None and value.type == "identifier" else None


def plain_name(source: bytes, start: int, end: int) -> str | None:
    """The span is exactly one variable's name (`width`): the name."""
    node = node_at(source, start, end)
    if node.type != "identifier" or (node.start_byte, node.end_byte) != (start, end):
        return None
    return (node.text or b"").decode()


def _used(node: tree_sitter.Node) -> Iterator[tree_sitter.Node]:
    for n in preorder(node):
        if n.type == "identifier" and (n.parent is None or n.parent.type != "scoped_identifier"):
            yield n


def holder_of(source: bytes, start: int, end: int, head: str) -> Binding | None:
    """The variable the span uses whose value holds a `head` (its declaration, or one it copies,
    names it), traced back through every handle copy (`Rc::clone(&x)`, `x.clone()`, `let y = x`,
    a shadowing `let x = Rc::clone(&x)`) to where the value was made (`engine.syntax.shared_handles`)."""
    chain = holder_chain(source, start, end, head)
    return chain[-1] if chain else None


def holder_chain(source: bytes, start: int, end: int, head: str) -> tuple[Binding, ...]:
    """`holder_of`'s path: the binding the span uses, then each one it copies, the maker last."""
    from engine.syntax.shared_handles import names_type, origin_chain

    span = node_at(source, start, end)
    for ident in _used(span):
        b = binding_of(source, (ident.text or b"").decode(), ident.start_byte)
        if b is None or b.range.start >= start:
            continue
        chain = origin_chain(source, b)
        if any(names_type(source, c, head) for c in chain):
            return chain
    return ()


def holders_of(source: bytes, start: int, end: int, head: str) -> list[Binding]:
    """Every distinct origin (`holder_of`'s maker) of the variables the span uses whose value holds a
    `head`: a closure capturing two `Rc`s has two, and each needs the same change."""
    from engine.syntax.shared_handles import names_type, origin_chain

    out: list[Binding] = []
    for ident in _used(node_at(source, start, end)):
        b = binding_of(source, (ident.text or b"").decode(), ident.start_byte)
        if b is None or b.range.start >= start:
            continue
        chain = origin_chain(source, b)
        if chain and any(names_type(source, c, head) for c in chain) and chain[-1] not in out:
            out.append(chain[-1])
    return out


def declaration_range(source: bytes, b: Binding):  # noqa: ANN201 - a Range
    """The whole `let` (or parameter) that binds `b`."""
    decl = declaration_of(source, b)
    return _range(decl) if decl is not None else b.range


def clones_by_method(source: bytes, start: int, end: int) -> bool:
    node = node_at(source, start, end)
    if node.type != "call_expression":
        return False
    fn, args = node.child_by_field_name("function"), node.child_by_field_name("arguments")
    field = fn.child_by_field_name("field") if fn is not None and fn.type == "field_expression" else None
    return field is not None and field.text == b"clone" and args is not None and not args.named_children


def static_type(source: bytes, start: int, end: int) -> str | None:
    """The declared type of the `static` item at [start, end) (`u64` in `static N: u64 = 0;`)."""
    node = node_at(source, start, end)
    item = next((n for n in (node, *ancestors(node)) if n.type == "static_item"), None)
    ty = item.child_by_field_name("type") if item is not None else None
    return (ty.text or b"").decode() if ty is not None else None


_NONE = frozenset({"None", "Option::None", "std::option::Option::None", "core::option::Option::None"})


def compared_with_none(source: bytes, op_start: int):  # noqa: ANN201 - (operation, other operand, op)
    """The `x == None` (or `!=`) whose operator starts at `op_start`: the whole comparison's range,
    the other operand's range, and the operator; None for any other expression."""
    from engine.syntax.design import _operation

    n = _operation(source, op_start)
    if n is None:
        return None
    operator = n.child_by_field_name("operator")
    op = (operator.text or b"").decode() if operator is not None else ""
    left, right = n.child_by_field_name("left"), n.child_by_field_name("right")
    if op not in ("==", "!=") or left is None or right is None:
        return None
    texts = [(c.text or b"").decode("utf-8", "replace").replace(" ", "") for c in (left, right)]
    if texts[1] in _NONE:
        return _range(n), _range(left), op
    if texts[0] in _NONE:
        return _range(n), _range(right), op
    return None


_TAKES_VALUE = ("match_expression", "let_declaration", "let_condition")


def fed_by(source: bytes, at: int, start: int, end: int) -> bool:
    """Whether the code at byte `at` takes the value of the expression at [start, end): `at` is in a
    pattern or arm of a `match`, `let` or `if let` whose scrutinee holds that expression, or is a
    variable a `let` bound to it. An error there follows from one in the scrutinee (rustc could not
    type the value it matches)."""
    node = node_at(source, at, at + 1)
    for a in ancestors(node):
        value = a.child_by_field_name("value") if a.type in _TAKES_VALUE else None
        if value is None or value.start_byte <= at < value.end_byte:
            continue
        if value.start_byte <= start and end <= value.end_byte:
            return True
        if value.type == "identifier":  # `let r = shelf.lend(..); match r {..}`: the value `r` holds
            b = binding_of(source, (value.text or b"").decode(), value.start_byte)
            decl = declaration_of(source, b) if b is not None and b.kind == "let" else None
            init = decl.child_by_field_name("value") if decl is not None else None
            if init is not None and init.start_byte <= start and end <= init.end_byte:
                return True
    return False
