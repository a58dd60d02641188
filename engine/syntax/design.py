"""Syntax facts for design-level repairs: operands, static items, struct literals, constructors,
parameters, call sites and enum variants. The questions `engine.repair.design` asks before it
proposes an edit that reaches beyond rustc's span (a signature and its callers, a constructor call).

Pure: bytes in, Structs out. Tree-sitter nodes never leave this module.
"""

from __future__ import annotations

from collections.abc import Iterator

import tree_sitter

from engine.syntax.receivers import Receivers, base_type, struct_fields
from engine.syntax.tree import _range, ancestors, node_at, node_text, parse, preorder
from engine.syntax.types import Base, Range


class StaticItem(Base, kw_only=True, frozen=True):
    kind: str  # "static_item" or "const_item"
    name: str
    type: Range
    value: Range


class Literal(Base, kw_only=True, frozen=True):
    """A struct literal `path::Name { a: 1, b }`: its type path and each field's value text."""

    range: Range
    path: str
    fields: tuple[tuple[str, str], ...]
    has_base: bool


class Constructor(Base, kw_only=True, frozen=True):
    """An associated fn without `self` that returns `Self` (or the type by name)."""

    name: str
    params: tuple[str, ...]
    public: bool
    types: tuple[str, ...] = ()  # each parameter's written type, in order
    # what its body does to its inputs besides storing them: the assert and panic macros it runs
    # (`assert!(!sku.is_empty(), ..)`) and the method calls on a parameter (`sku.to_uppercase()`)
    checks: tuple[str, ...] = ()
    transforms: tuple[str, ...] = ()
    # the fields its body's struct literal sets to a value of no parameter (`reserved: 0`), by text
    fixed: tuple[tuple[str, str], ...] = ()


class Param(Base, kw_only=True, frozen=True):
    """A parameter of a fn item: the fn's name, its index among the non-`self` parameters, its type."""

    fn_name: str
    index: int
    type: Range
    has_self: bool
    owner: str = ""  # the base name of the impl's type, for a method ("" for a free fn)


def _operation(source: bytes, op_start: int) -> tree_sitter.Node | None:
    node = node_at(source, op_start, op_start + 1)
    for n in (node, *ancestors(node)):
        if n.type in ("binary_expression", "compound_assignment_expr"):
            op = n.child_by_field_name("operator")
            left, right = n.child_by_field_name("left"), n.child_by_field_name("right")
            if op is not None and op.start_byte == op_start and left is not None and right is not None:
                return n
    return None


def operands(source: bytes, op_start: int) -> tuple[Range, Range] | None:
    """The two operands of the binary (or compound assignment) expression whose operator starts at
    `op_start`: `total` and `xs.len()` in `total / xs.len()`."""
    n = _operation(source, op_start)
    if n is None:
        return None
    left, right = n.child_by_field_name("left"), n.child_by_field_name("right")
    return (_range(left), _range(right)) if left is not None and right is not None else None


def operation(source: bytes, op_start: int) -> Range | None:
    """The whole binary (or compound assignment) expression whose operator starts at `op_start`."""
    n = _operation(source, op_start)
    return _range(n) if n is not None else None


def reach(source: bytes, start: int, end: int) -> Range:
    """The smallest named node that covers [start, end): what an error at that span is about."""
    return _range(node_at(source, start, end))


def cast_operand(source: bytes, start: int, end: int) -> Range | None:
    """The value of the cast `x as T` that [start, end) covers (rustc's span of a cast error)."""
    node = node_at(source, start, end)
    cast = next((n for n in (node, *ancestors(node)) if n.type == "type_cast_expression"), None)
    value = cast.child_by_field_name("value") if cast is not None else None
    return _range(value) if value is not None else None


def cast_type(source: bytes, r: Range) -> str | None:
    """`T` when the expression at `r` is a cast `x as T` (parentheses around it allowed), else None."""
    node = node_at(source, r.start, r.end)
    while node.type == "parenthesized_expression" and node.named_children:
        node = node.named_children[0]
    if node.type != "type_cast_expression":
        return None
    return node_text(node.child_by_field_name("type")) or None


def static_item_at(source: bytes, at: int) -> StaticItem | None:
    """The `static`/`const` item whose value covers byte `at`."""
    node = node_at(source, at, at + 1)
    for n in (node, *ancestors(node)):
        if n.type in ("static_item", "const_item"):
            ty, value = n.child_by_field_name("type"), n.child_by_field_name("value")
            if ty is None or value is None:
                return None
            name = node_text(n.child_by_field_name("name"))
            return StaticItem(kind=n.type, name=name, type=_range(ty), value=_range(value))
    return None


def struct_literal_at(source: bytes, start: int, end: int) -> Literal | None:
    node = node_at(source, start, end)
    lit = next((n for n in (node, *ancestors(node)) if n.type == "struct_expression"), None)
    if lit is None:
        return None
    body = lit.child_by_field_name("body")
    fields: list[tuple[str, str]] = []
    has_base = False
    for c in body.named_children if body is not None else ():
        if c.type == "field_initializer":
            fields.append(
                (node_text(c.child_by_field_name("field")), node_text(c.child_by_field_name("value")))
            )
        elif c.type == "shorthand_field_initializer":
            fields.append((node_text(c), node_text(c)))
        elif c.type == "base_field_initializer":
            has_base = True
    return Literal(
        range=_range(lit),
        path=node_text(lit.child_by_field_name("name")),
        fields=tuple(fields),
        has_base=has_base,
    )


def _param_name(p: tree_sitter.Node) -> str:
    pat = p.child_by_field_name("pattern")
    if pat is not None and pat.type == "mut_pattern":
        pat = pat.named_children[-1] if pat.named_children else None
    return node_text(pat)


def own_impl_bodies(root: tree_sitter.Node, type_name: str) -> Iterator[tree_sitter.Node]:
    """The bodies of the type's own (inherent, not trait) `impl` blocks, in source order; the type is
    matched by its last path segment without generics (`impl<T> a::Stack<T>` is Stack's)."""
    for n in preorder(root):
        if n.type != "impl_item" or n.child_by_field_name("trait") is not None:
            continue
        body = n.child_by_field_name("body")
        if (
            body is not None
            and node_text(n.child_by_field_name("type")).split("<")[0].split("::")[-1] == type_name
        ):
            yield body


def constructors(source: bytes, type_name: str) -> list[Constructor]:
    """Associated fns of `impl type_name` (no trait) that take no `self` and return the type."""
    out: list[Constructor] = []
    for body in own_impl_bodies(parse(source).root_node, type_name):
        for f in body.named_children:
            if f.type != "function_item":
                continue
            ret = node_text(f.child_by_field_name("return_type")).split("<")[0]
            params = f.child_by_field_name("parameters")
            plist = [
                p for p in (params.named_children if params is not None else ()) if p.type != "attribute_item"
            ]
            if ret not in ("Self", type_name) or any(p.type == "self_parameter" for p in plist):
                continue
            public = any(c.type == "visibility_modifier" for c in f.children)
            names = tuple(_param_name(p) for p in plist if p.type == "parameter")
            types = tuple(node_text(p.child_by_field_name("type")) for p in plist if p.type == "parameter")
            checks, transforms = _handling(f.child_by_field_name("body"), set(names))
            fixed = _fixed_fields(source, f, set(names))
            out.append(
                Constructor(
                    name=node_text(f.child_by_field_name("name")),
                    params=names,
                    public=public,
                    types=types,
                    checks=checks,
                    transforms=transforms,
                    fixed=fixed,
                )
            )
    return out


def _fixed_fields(source: bytes, fn: tree_sitter.Node, params: set[str]) -> tuple[tuple[str, str], ...]:
    """The fields the fn's own struct literal sets from no parameter, with their value's text: what
    a caller's literal must already hold for those fields before a call to this fn can replace it."""
    out: list[tuple[str, str]] = []
    for n in preorder(fn):
        if n.type != "struct_expression":
            continue
        lit = struct_literal_at(source, n.start_byte, n.start_byte + 1)
        for name, value in lit.fields if lit is not None else ():
            if not _idents_in(value) & params:
                out.append((name, " ".join(value.split())))
        break
    return tuple(out)


def _idents_in(text: str) -> set[str]:
    """The identifiers of a short expression's text, by the syntax tree of `text` as a statement."""
    root = parse(text.encode() + b";").root_node
    return {node_text(n) for n in preorder(root) if n.type == "identifier"}


# conversions that own or retype a value without changing what it holds: storing `name.into()`
# stores the caller's text, so they are no transform of the input
_KEEPS_VALUE = frozenset({"into", "to_string", "to_owned", "clone", "to_vec", "into_owned"})
_CHECKS = ("assert", "assert_eq", "assert_ne", "debug_assert", "debug_assert_eq", "debug_assert_ne", "panic")


def _handling(body: tree_sitter.Node | None, params: set[str]) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """The asserts (and panics) a fn body runs and the method calls it makes on its parameters: a
    caller who swaps a struct literal for this fn gets values that pass through them, so a call is not
    the same as the literal when either is there."""
    checks: list[str] = []
    transforms: list[str] = []
    for n in preorder(body) if body is not None else ():
        if n.type == "macro_invocation" and node_text(n.child_by_field_name("macro")) in _CHECKS:
            checks.append(" ".join(node_text(n).split()))
        fn = n.child_by_field_name("function") if n.type == "call_expression" else None
        recv = fn.child_by_field_name("value") if fn is not None and fn.type == "field_expression" else None
        kept = fn is not None and node_text(fn.child_by_field_name("field")) in _KEEPS_VALUE
        if recv is not None and recv.type == "identifier" and node_text(recv) in params and not kept:
            transforms.append(" ".join(node_text(n).split()))
    return tuple(dict.fromkeys(checks)), tuple(dict.fromkeys(transforms))


def param_at(source: bytes, start: int, end: int) -> Param | None:
    """The parameter of a fn item whose type (or pattern) covers [start, end)."""
    node = node_at(source, start, end)
    param = next((n for n in (node, *ancestors(node)) if n.type == "parameter"), None)
    if param is None or param.parent is None or param.parent.parent is None:
        return None
    fn = param.parent.parent
    ty = param.child_by_field_name("type")
    if fn.type != "function_item" or ty is None:
        return None
    plist = [p for p in param.parent.named_children if p.type in ("parameter", "self_parameter")]
    has_self = any(p.type == "self_parameter" for p in plist)
    index = [p for p in plist if p.type == "parameter"].index(param)
    impl = fn.parent.parent if fn.parent is not None and fn.parent.type == "declaration_list" else None
    owner = (
        node_text(impl.child_by_field_name("type")) if impl is not None and impl.type == "impl_item" else ""
    )
    return Param(
        fn_name=node_text(fn.child_by_field_name("name")),
        index=index,
        type=_range(ty),
        has_self=has_self,
        owner=base_type(owner),
    )


def call_arguments(source: bytes, fn_name: str, index: int, method: bool, owner: str = "") -> list[Range]:
    """The `index`-th argument of every call of `fn_name` in the file: `f(a)`, `m::f(a)`,
    `Type::f(a)`, and for a method `x.f(a)`. Given the method's `owner` type, a call whose receiver
    the tree shows to be of another type is not one (`self.items.push(m)` is `Vec::push`, not the
    crate's `push`); a receiver of unknown type still counts."""
    out: list[Range] = []
    root = parse(source).root_node
    fields = struct_fields(root) if owner else {}
    for n in preorder(root):
        if n.type != "call_expression":
            continue
        callee, args = n.child_by_field_name("function"), n.child_by_field_name("arguments")
        if callee is None or args is None:
            continue
        if callee.type in ("identifier", "scoped_identifier"):
            name = callee if callee.type == "identifier" else callee.child_by_field_name("name")
            ok = not method and node_text(name) == fn_name
        elif callee.type == "field_expression":
            ok = method and node_text(callee.child_by_field_name("field")) == fn_name
            if ok and owner:
                recv = _receiver_type(n, callee.child_by_field_name("value"), fields)
                ok = recv in ("", owner)
        else:
            ok = False
        real = [a for a in args.named_children if a.type not in ("line_comment", "block_comment")]
        if ok and index < len(real):
            out.append(_range(real[index]))
    return out


def _receiver_type(
    call: tree_sitter.Node, recv: tree_sitter.Node | None, fields: dict[str, dict[str, str]]
) -> str:
    """The base type the tree shows for a method call's receiver, "" when it does not."""
    fn = next((a for a in ancestors(call) if a.type == "function_item"), None)
    if fn is None:
        return ""
    impl = next((a for a in ancestors(fn) if a.type == "impl_item"), None)
    owner = node_text(impl.child_by_field_name("type")) if impl is not None else ""
    return Receivers(fn, owner, fields).of(recv)


def variant_wrapping(source: bytes, enum_name: str, inner: str) -> tuple[str, str] | None:
    """(variant, its field type as written) of `enum enum_name` whose only tuple field is `inner`
    (compared by the type's last path segment): `Bad` and `ParseIntError` in `Bad(ParseIntError)`."""
    want = inner.split("::")[-1]
    return next(((v, ty) for v, ty in _tuple_variants(source, enum_name) if ty.split("::")[-1] == want), None)


def variants_holding_string(source: bytes, enum_name: str) -> list[str]:
    """The tuple variants of `enum enum_name` whose only field is a `String` (`Parse(String)`), in
    declaration order."""
    return [v for v, ty in _tuple_variants(source, enum_name) if ty.split("::")[-1] == "String"]


def enum_body_close(source: bytes, enum_name: str) -> tuple[int, bool, str] | None:
    """(byte of the closing `}` of `enum enum_name`'s body, whether its last variant already ends
    with a comma (or there is none), the variants' indent)."""
    for n in preorder(parse(source).root_node):
        if n.type != "enum_item" or node_text(n.child_by_field_name("name")) != enum_name:
            continue
        body = n.child_by_field_name("body")
        if body is None:
            return None
        variants = [v for v in body.named_children if v.type == "enum_variant"]
        close = body.end_byte - 1
        if not variants:
            return close, True, "    "
        last = variants[-1]
        tail = source[last.end_byte : close].decode(errors="replace")
        line_start = source.rfind(b"\n", 0, last.start_byte) + 1
        indent = source[line_start : last.start_byte].decode(errors="replace")
        return close, "," in tail, indent if not indent.strip() else "    "
    return None


def _tuple_variants(source: bytes, enum_name: str) -> list[tuple[str, str]]:
    out: list[tuple[str, str]] = []
    for n in preorder(parse(source).root_node):
        if n.type != "enum_item" or node_text(n.child_by_field_name("name")) != enum_name:
            continue
        body = n.child_by_field_name("body")
        for v in body.named_children if body is not None else ():
            fields = v.child_by_field_name("body") if v.type == "enum_variant" else None
            if fields is None or fields.type != "ordered_field_declaration_list":
                continue
            types = [
                c for c in fields.named_children if c.type not in ("attribute_item", "visibility_modifier")
            ]
            if len(types) == 1:
                out.append((node_text(v.child_by_field_name("name")), node_text(types[0])))
    return out


def item_end(source: bytes, kind: str, name: str) -> int | None:
    """The byte after the `struct`/`enum` item `name` (kind: "struct_item" or "enum_item")."""
    for n in preorder(parse(source).root_node):
        if n.type == kind and node_text(n.child_by_field_name("name")) == name:
            return n.end_byte
    return None


class StructDef(Base, kw_only=True, frozen=True):
    """A named-field struct: its fields (name, type as written), where its item ends, and where the
    body of its first inherent `impl` opens (the byte after `{`), if it has one in this file."""

    fields: tuple[tuple[str, str], ...]
    end: int
    indent: str
    impl_open: int | None


def struct_def(source: bytes, name: str) -> StructDef | None:
    root = parse(source).root_node
    item = next(
        (
            n
            for n in preorder(root)
            if n.type == "struct_item" and node_text(n.child_by_field_name("name")) == name
        ),
        None,
    )
    body = item.child_by_field_name("body") if item is not None else None
    if item is None or body is None or body.type != "field_declaration_list":
        return None
    fields = tuple(
        (node_text(f.child_by_field_name("name")), node_text(f.child_by_field_name("type")))
        for f in body.named_children
        if f.type == "field_declaration"
    )
    line_start = source.rfind(b"\n", 0, item.start_byte) + 1
    indent = source[line_start : item.start_byte].decode("utf-8", "replace")
    indent = indent if not indent.strip() else ""
    first = next(own_impl_bodies(root, name), None)
    impl_open = first.start_byte + 1 if first is not None else None
    return StructDef(fields=fields, end=item.end_byte, indent=indent, impl_open=impl_open)


class MapBody(Base, kw_only=True, frozen=True):
    """The body of the `.map(|x| body)` closure right before a method call (`.sum()`), and when the
    body is arithmetic on two operands, those operands."""

    body: Range
    atomic: bool
    operands: tuple[Range, ...] = ()


_ATOMIC_KINDS = ("identifier", "field_expression", "call_expression", "integer_literal", "index_expression")


def map_body_before(source: bytes, method_start: int) -> MapBody | None:
    """`i.cents * i.quantity` for `items.iter().map(|i| i.cents * i.quantity).sum()`, given `sum`'s start."""
    node = node_at(source, method_start, method_start + 1)
    field = next((n for n in (node, *ancestors(node)) if n.type == "field_expression"), None)
    call = field.child_by_field_name("value") if field is not None else None
    callee = (
        call.child_by_field_name("function") if call is not None and call.type == "call_expression" else None
    )
    if (
        call is None
        or callee is None
        or callee.type != "field_expression"
        or node_text(callee.child_by_field_name("field")) != "map"
    ):
        return None
    args = call.child_by_field_name("arguments")
    closure = args.named_children[0] if args is not None and len(args.named_children) == 1 else None
    body = (
        closure.child_by_field_name("body")
        if closure is not None and closure.type == "closure_expression"
        else None
    )
    if body is None or body.type == "block":
        return None
    ops: tuple[Range, ...] = ()
    op = body.child_by_field_name("operator") if body.type == "binary_expression" else None
    if op is not None and node_text(op) in ("*", "+", "-"):
        left, right = body.child_by_field_name("left"), body.child_by_field_name("right")
        if (
            left is not None
            and right is not None
            and left.type in _ATOMIC_KINDS
            and right.type in _ATOMIC_KINDS
        ):
            ops = (_range(left), _range(right))
    return MapBody(body=_range(body), atomic=body.type in _ATOMIC_KINDS, operands=ops)
