"""Where a crate's own signature asks for `'static`: the bound a closure argument must meet.

rustc says a closure "may outlive the current function" (E0373) whenever the parameter it is passed
to is `'static`; its note only spans the call. When the callee is the crate's own fn, the `'static`
is written there (`F: FnMut(&str) + 'static`, `f: impl Fn() + 'static`, `Box<dyn Fn() + 'static>`,
or `where F: 'static`), and that bound, not a thread or a return, is why the closure may hold no
borrow of a local: the closure may well be stored in a local that dies with the function. That
written bound is the root cause, and loosening it is a way out.

Pure: bytes and byte offsets in, a `Written` (file, offsets, line, column, text) out. Tree-sitter
nodes never leave this module.
"""

from __future__ import annotations

import tree_sitter

from engine.syntax.signature_lifetimes import Sources, Written, _callee, _param_types, _written
from engine.syntax.tree import ancestors, node_at, node_text, preorder


def _has_static(n: tree_sitter.Node) -> bool:
    return any(c.type == "lifetime" and node_text(c) == "'static" for c in preorder(n))


def _generic_bound(fn: tree_sitter.Node, name: str) -> tree_sitter.Node | None:
    """The declaration of type parameter `name` (`F: FnMut(&str) + 'static`) or its `where` predicate,
    when one of them bounds it by `'static`."""
    for n in preorder(fn):
        if n.type in ("type_parameter", "constrained_type_parameter", "where_predicate"):
            head = n.child_by_field_name("left") or n.child_by_field_name("name") or n.named_children[0]
            if node_text(head) == name and _has_static(n):
                return n
        if n.type == "block":
            break
    return None


def static_bound_site(sources: Sources, file: str, start: int, end: int) -> tuple[str, Written] | None:
    """(callee name, the written `'static` bound) for the value at [start, end) of `file` passed as
    an argument to a crate fn whose parameter type, or that type's generic declaration, is bounded by
    `'static`. None when the callee is not the crate's or writes no `'static`."""
    files = list(sources)
    source = dict(files).get(file)
    if source is None or end > len(source):
        return None
    node = node_at(source, start, end)
    for n in (node, *ancestors(node)):
        if n.type in ("function_item", "block"):
            return None
        parent = n.parent
        if n.type != "arguments" or parent is None or parent.type != "call_expression":
            continue
        arg = next((a for a in n.named_children if a.start_byte <= start and end <= a.end_byte), None)
        if arg is None:
            return None
        name, method = _callee(parent)
        index = [a.id for a in n.named_children].index(arg.id)
        for path, ty in _param_types(files, name, method, index):
            if _has_static(ty):
                return name, _written(path, ty)
            fn = next((a for a in ancestors(ty) if a.type == "function_item"), None)
            if ty.type == "type_identifier" and fn is not None:
                bound = _generic_bound(fn, node_text(ty))
                if bound is not None:
                    return name, _written(path, bound)
        return None
    return None


def bound_around(sources: Sources, file: str, start: int, end: int) -> Written | None:
    """The bound holding the `'static` at [start, end) of `file` (rustc's note "requirement that the
    value outlives `'static` introduced here" spans the lifetime alone): its generic parameter's
    declaration or `where` predicate, or the parameter's written type, as `static_bound_site` gives."""
    source = dict(sources).get(file)
    if source is None or end > len(source):
        return None
    node = node_at(source, start, end)
    for a in (node, *ancestors(node)):
        if a.type in ("type_parameter", "constrained_type_parameter", "where_predicate") and _has_static(a):
            return _written(file, a)
        if a.type == "parameter" and (ty := a.child_by_field_name("type")) is not None and _has_static(ty):
            return _written(file, ty)
        if a.type in ("function_item", "block"):
            return None
    return None
