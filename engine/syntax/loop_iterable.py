"""Whether the collection a `for` loop walks can be indexed by position.

"Loop over indices and borrow the element afresh" is advice for a `Vec`, a `VecDeque`, a slice or an
array; a `HashMap`, a `BTreeMap` or a set has no positions. The loop's iterable (`v.iter()`,
`&mut v`, `self.items.iter_mut()`) is reduced to the name it starts from, and that name's written
type is read from the enclosing fn's parameters, its typed `let`s, or (for `self.field`) the field's
declaration in the same file. Unknown (a closure's argument, an untyped `let`) is None: no fact.

Pure: bytes and byte offsets in, a bool or None out. Tree-sitter nodes never leave this module.
"""

from __future__ import annotations

import re

import tree_sitter

from engine.syntax.tree import ancestors, node_at, node_text, parse, preorder

_INDEXED = frozenset({"Vec", "VecDeque"})
_REF = re.compile(r"^(?:&\s*(?:'\w+\s+)?(?:mut\s+)?|mut\s+)+")


def _root_of(value: tree_sitter.Node) -> tree_sitter.Node:
    """`&mut self.items.iter_mut()` -> `self.items`: through references, calls and parentheses."""
    n = value
    while True:
        inner: tree_sitter.Node | None
        if n.type in ("reference_expression", "parenthesized_expression"):
            inner = n.child_by_field_name("value") or (n.named_children[-1] if n.named_children else None)
        elif n.type == "call_expression":
            f = n.child_by_field_name("function")
            inner = f.child_by_field_name("value") if f is not None and f.type == "field_expression" else None
        else:
            return n
        if inner is None:
            return n
        n = inner


def _declared(fn: tree_sitter.Node, name: str) -> str | None:
    params = fn.child_by_field_name("parameters")
    for p in params.named_children if params is not None else ():
        pat = p.child_by_field_name("pattern")
        if pat is not None and pat.type == "mut_pattern" and pat.named_children:
            pat = pat.named_children[0]
        if p.type == "parameter" and node_text(pat) == name:
            return node_text(p.child_by_field_name("type"))
    found: list[str] = []
    for n in preorder(fn):
        if (
            n.type == "let_declaration"
            and node_text(n.child_by_field_name("pattern")).removeprefix("mut ") == name
        ):
            found.append(node_text(n.child_by_field_name("type")))
    return found[0] if len(found) == 1 and found[0] else None


def _field_type(root: tree_sitter.Node, owner: str, field: str) -> str | None:
    for n in preorder(root):
        if n.type == "struct_item" and node_text(n.child_by_field_name("name")) == owner:
            body = n.child_by_field_name("body")
            for fd in body.named_children if body is not None else ():
                if fd.type == "field_declaration" and node_text(fd.child_by_field_name("name")) == field:
                    return node_text(fd.child_by_field_name("type"))
    return None


def _indexed(type_text: str) -> bool:
    t = _REF.sub("", type_text.strip())
    if t.startswith("["):
        return True
    return t.split("<", 1)[0].rsplit("::", 1)[-1].strip() in _INDEXED


def iterable_indexed(source: bytes, start: int, end: int) -> bool | None:
    """For the innermost `for` loop whose body holds [start, end): whether its iterable's written
    type is a `Vec`, `VecDeque`, slice or array (True), another type (False), or unknown (None)."""
    node = node_at(source, start, end)
    loop = fn = None
    for a in ancestors(node):
        if a.type == "for_expression" and loop is None:
            body = a.child_by_field_name("body")
            if body is not None and body.start_byte <= start and end <= body.end_byte:
                loop = a
        if a.type == "function_item":
            fn = a
            break
    value = loop.child_by_field_name("value") if loop is not None else None
    if value is None or fn is None:
        return None
    root = _root_of(value)
    if root.type == "identifier":
        typ = _declared(fn, node_text(root))
    elif root.type == "field_expression" and node_text(root.child_by_field_name("value")) == "self":
        impl = next((a for a in ancestors(fn) if a.type == "impl_item"), None)
        owner = node_text(impl.child_by_field_name("type")).split("<", 1)[0] if impl is not None else ""
        typ = _field_type(parse(source).root_node, owner, node_text(root.child_by_field_name("field")))
    else:
        typ = None
    return None if not typ else _indexed(typ)
