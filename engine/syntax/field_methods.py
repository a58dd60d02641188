"""The `pub` methods of a type that write or read one of its fields, read from the syntax tree.

Why: a private field used from outside its module (E0616) is best reached through a method the type
already offers. "Add a `pub` method if none exists" is generic advice; a type with a `pub fn
deposit(&mut self, amount: i64) { self.balance += amount; }` already has the way in for
`to.balance += amount`. A writer is a `pub` method taking `&mut self` whose body assigns the field
(`self.f = x`, `self.f += x`); a reader takes `&self` and nothing else and returns the field
(`self.f`, `&self.f`, `self.f.clone()`). Pure: bytes in, Structs out.
"""

from __future__ import annotations

import tree_sitter

from engine.syntax.design import own_impl_bodies
from engine.syntax.tree import node_text, parse, preorder
from engine.syntax.types import Base


class FieldMethod(Base, kw_only=True, frozen=True):
    name: str
    params: tuple[str, ...]  # the parameters after `self`, by name
    # for a writer: the operator (`=`, `+=`, ..) and the parameter the field is assigned from ("" when
    # the right side is not one parameter)
    op: str = ""
    from_param: str = ""


def _self_field(n: tree_sitter.Node | None, field: str) -> bool:
    if n is None or n.type != "field_expression":
        return False
    v, f = n.child_by_field_name("value"), n.child_by_field_name("field")
    return v is not None and v.type == "self" and node_text(f) == field


def _is_pub(fn: tree_sitter.Node) -> bool:
    return any(c.type == "visibility_modifier" for c in fn.children)


def _signature(fn: tree_sitter.Node) -> tuple[str, tuple[str, ...]]:
    """(the receiver as written, `&mut self`/`&self`/"", the other parameters' names)."""
    ps = fn.child_by_field_name("parameters")
    recv, names = "", []
    for p in ps.named_children if ps is not None else ():
        if p.type == "self_parameter":
            recv = " ".join(node_text(p).split())
        elif p.type == "parameter":
            pat = p.child_by_field_name("pattern")
            names.append(node_text(pat) if pat is not None and pat.type == "identifier" else "_")
    return recv, tuple(names)


def _methods(
    source: bytes, type_name: str
) -> list[tuple[tree_sitter.Node, tree_sitter.Node, str, tuple[str, ...]]]:
    """(fn, its body, receiver, other parameters) of each `pub` method with a body."""
    out = []
    for block in own_impl_bodies(parse(source).root_node, type_name):
        for fn in block.named_children:
            body = fn.child_by_field_name("body") if fn.type == "function_item" else None
            if body is not None and _is_pub(fn):
                out.append((fn, body, *_signature(fn)))
    return out


def writers(source: bytes, type_name: str, field: str) -> tuple[FieldMethod, ...]:
    out = []
    for fn, body, recv, params in _methods(source, type_name):
        if recv != "&mut self":
            continue
        for n in preorder(body):
            if n.type not in ("assignment_expression", "compound_assignment_expr"):
                continue
            if not _self_field(n.child_by_field_name("left"), field):
                continue
            op = node_text(n.child_by_field_name("operator")) if n.type != "assignment_expression" else "="
            right = node_text(n.child_by_field_name("right"))
            name = node_text(fn.child_by_field_name("name"))
            out.append(
                FieldMethod(name=name, params=params, op=op, from_param=right if right in params else "")
            )
            break
    return tuple(out)


def readers(source: bytes, type_name: str, field: str) -> tuple[FieldMethod, ...]:
    from engine.syntax.returned_tails import tails

    out = []
    for fn, body, recv, params in _methods(source, type_name):
        if recv != "&self" or params:
            continue
        for end in tails(body):
            e: tree_sitter.Node | None = end
            while e is not None and e.type in ("reference_expression", "parenthesized_expression"):
                e = e.named_children[-1] if e.named_children else None
            if e is not None and e.type == "call_expression":  # `self.f.clone()`
                f = e.child_by_field_name("function")
                e = f.child_by_field_name("value") if f is not None and f.type == "field_expression" else e
            if _self_field(e, field):
                out.append(FieldMethod(name=node_text(fn.child_by_field_name("name")), params=()))
                break
    return tuple(out)


def wrappers(source: bytes, type_name: str, method: str) -> tuple[FieldMethod, ...]:
    """`pub` methods of the type whose body calls its private `method` on `self`: the public way to
    what a call of `method` from outside (E0624) wanted."""
    out = []
    for fn, body, _recv, params in _methods(source, type_name):
        name = node_text(fn.child_by_field_name("name"))
        for n in preorder(body):
            f = n.child_by_field_name("function") if n.type == "call_expression" else None
            if f is not None and f.type == "field_expression" and name != method:
                v = f.child_by_field_name("value")
                if v is not None and v.type == "self" and node_text(f.child_by_field_name("field")) == method:
                    out.append(FieldMethod(name=name, params=params))
                    break
    return tuple(out)
