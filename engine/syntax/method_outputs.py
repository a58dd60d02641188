"""What a call of one of the crate's own methods returns a borrow of: its receiver, some of its
arguments, or nothing, read from the method's signature.

Why: a chain like `sp.fields(line).get(i)` looks, to a walk over receivers, like a borrow of `sp`.
Whether it is depends on the callee's signature, not on the chain: `fn fields<'a>(&self, line:
&'a str) -> Vec<&'a str>` returns a borrow of `line`, and `self` is only read. Telling a user that
such a result "borrows the local `sp`, which no lifetime can fix" is false (review F f01). The
callee is found by the receiver's type where the syntax tree shows it (`engine.syntax.receivers`),
never by the method's name alone (`Vec::push` is not the crate's `push`); an unknown receiver or
callee answers None, and the caller keeps its conservative reading.

Pure: bytes or tree-sitter nodes in, tuples out; nodes never leave this module.
"""

from __future__ import annotations

import re

import tree_sitter

from engine.syntax.receivers import Receivers, base_type, struct_fields
from engine.syntax.tree import ancestors, node_text, preorder

_LIFETIME = re.compile(r"'([A-Za-z_]\w*)")


def _lifetimes(text: str) -> set[str]:
    return {m for m in _LIFETIME.findall(text) if m not in ("static", "_")}


def _impl_owner(n: tree_sitter.Node) -> tuple[tree_sitter.Node, str] | None:
    """The fn item around `n` and its impl's type ("" for a free fn)."""
    fn = next((a for a in (n, *ancestors(n)) if a.type == "function_item"), None)
    if fn is None:
        return None
    impl = next((a for a in ancestors(fn) if a.type == "impl_item"), None)
    ty = impl.child_by_field_name("type") if impl is not None else None
    return fn, node_text(ty)


def method_of(root: tree_sitter.Node, owner: str, method: str) -> tree_sitter.Node | None:
    """The fn item `method` with a `self` parameter in an impl of the type `owner` (a base name),
    None when there is none or more than one (a trait's impls for several types)."""
    found = []
    for n in preorder(root):
        if n.type != "impl_item" or base_type(node_text(n.child_by_field_name("type"))) != owner:
            continue
        body = n.child_by_field_name("body")
        for c in body.named_children if body is not None else ():
            if c.type == "function_item" and node_text(c.child_by_field_name("name")) == method:
                params = c.child_by_field_name("parameters")
                if params is not None and any(p.type == "self_parameter" for p in params.named_children):
                    found.append(c)
    return found[0] if len(found) == 1 else None


def output_sources(fn: tree_sitter.Node) -> tuple[bool, tuple[int, ...]] | None:
    """(whether the result borrows the receiver, the argument positions it borrows) for a method,
    from its signature: a named lifetime in the return type ties the inputs that carry it; an
    elided one with `&self` ties the receiver (the elision rule). None where the signature does not
    decide it (a `self` by value with an elided output, generics that may hide a borrow)."""
    ret = fn.child_by_field_name("return_type")
    params = fn.child_by_field_name("parameters")
    if params is None:
        return None
    rtext = node_text(ret)
    if ret is None or ("&" not in rtext and not _lifetimes(rtext) and "'_" not in rtext):
        if fn.child_by_field_name("type_parameters") is not None:
            return None  # `-> T` may be a reference at the call
        return False, ()
    this = next((p for p in params.named_children if p.type == "self_parameter"), None)
    args = [p for p in params.named_children if p.type == "parameter"]
    named = _lifetimes(rtext)
    elided = "'_" in rtext or re.search(r"&(?!\s*')", rtext) is not None
    self_text = node_text(this)
    borrows_self = bool(named & _lifetimes(self_text))
    if elided:
        if not self_text.startswith("&"):
            return None
        borrows_self = True
    tied = tuple(
        i for i, p in enumerate(args) if named & _lifetimes(node_text(p.child_by_field_name("type")))
    )
    return borrows_self, tied


def call_sources(call: tree_sitter.Node) -> tuple[bool, tuple[int, ...]] | None:
    """`output_sources` of the crate's method that the method call `call` (`recv.m(..)`) runs,
    found by the receiver's type; None when the tree does not show the type or the method."""
    f = call.child_by_field_name("function")
    if call.type != "call_expression" or f is None or f.type != "field_expression":
        return None
    around = _impl_owner(call)
    if around is None:
        return None
    fn, owner = around
    root = fn
    while root.parent is not None:
        root = root.parent
    recv_type = Receivers(fn, owner, struct_fields(root)).of(f.child_by_field_name("value"))
    if not recv_type:
        return None
    target = method_of(root, recv_type, node_text(f.child_by_field_name("field")))
    return output_sources(target) if target is not None else None
