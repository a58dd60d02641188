"""E0277 `X: Clone` required by `vec![x; n]`: build each slot anew instead of cloning one.

The general mistake: `vec![elem; n]` makes one `elem` and clones it into the other slots
(`std::vec::from_elem` requires `Clone`), so where the element's type is not `Clone` (an
`Option<T>` for a generic `T`, a struct without `derive(Clone)`), rustc asks for the bound. Adding
`T: Clone` to the impl, or deriving `Clone`, compiles, but it narrows what the type accepts: a ring
of file handles is no longer possible. Building each slot from the expression itself,
`(0..n).map(|_| elem).collect::<Vec<_>>()`, needs no bound at all and keeps the API.

Facts: rustc's note "required by a bound in `…vec::from_elem`" and its primary span on the element;
the syntax tree gives the `vec![..; ..]` around it. Offered only where evaluating the element once
per slot is the same as evaluating it once: a literal, a path (`None`, a unit variant or a
constant), or a constructor call of such parts (`Vec::new()`, `Some(0)`, `Slot { used: false }`);
a call that may do work or have effects (`next_id()`) is left alone. Pure.
"""

from __future__ import annotations

import tree_sitter

from engine.repair.template_kit import Reader, _make, primary_source
from engine.repair.types import Candidate, Edit
from engine.syntax.tree import ancestors, node_text, parse, preorder
from toolbelt.types import Diagnostic

_PLAIN = {
    "identifier",
    "scoped_identifier",
    "field_identifier",
    "type_identifier",
    "shorthand_field_identifier",
    "integer_literal",
    "float_literal",
    "string_literal",
    "string_content",
    "char_literal",
    "boolean_literal",
    "unit_expression",
    "tuple_expression",
    "array_expression",
    "struct_expression",
    "field_initializer_list",
    "field_initializer",
    "shorthand_field_initializer",
    "arguments",
    "negative_literal",
    "generic_type",
    "type_arguments",
    "scoped_type_identifier",
    "primitive_type",
    "escape_sequence",
}
_CONSTRUCTORS = ("new", "default", "with_capacity")


def _evaluates_alike(elem: str) -> bool:
    """Whether `elem`, evaluated once per slot, gives what one evaluation cloned would: only plain
    data and constructors, no call that may do work. Asked of the syntax tree of `elem` alone."""
    tree = parse(f"fn __f() {{ let _ = {elem}; }}".encode())
    decl = next((n for n in preorder(tree.root_node) if n.type == "let_declaration"), None)
    value = decl.child_by_field_name("value") if decl is not None else None
    if value is None or tree.root_node.has_error:
        return False
    for n in preorder(value):
        if not n.is_named or n.type in _PLAIN:
            continue
        if n.type == "call_expression":
            fn = n.child_by_field_name("function")
            last = node_text(fn).rsplit("::", 1)[-1]
            if fn is not None and (last in _CONSTRUCTORS or last[:1].isupper()):
                continue  # `Vec::new()`, `Some(..)`, `Slot(..)`: a constructor, nothing else runs
        return False
    return True


def _vec_macro(source: bytes, start: int) -> tree_sitter.Node | None:
    tree = parse(source)
    leaf = tree.root_node.descendant_for_byte_range(start, start)
    for a in ancestors(leaf) if leaf is not None else ():
        if a.type == "macro_invocation":
            name = node_text(a.child_by_field_name("macro")).rsplit("::", 1)[-1]
            return a if name == "vec" else None
    return None


def fill_each_slot(d: Diagnostic, read: Reader) -> list[Candidate]:
    opened = primary_source(d, read)
    if d.code_str != "E0277" or opened is None:
        return []
    if not any("vec::from_elem" in c.message for c in d.children):
        return []
    span, source = opened
    mac = _vec_macro(source, span.byte_start)
    if mac is None:
        return []
    tokens = next((c for c in mac.children if c.type == "token_tree"), None)
    if tokens is None:
        return []
    inner = source[tokens.start_byte + 1 : tokens.end_byte - 1]
    semi = span.byte_end - tokens.start_byte - 1
    rest = inner[semi:].lstrip()
    if not rest.startswith(b";"):
        return []
    elem = source[span.byte_start : span.byte_end].decode("utf-8", "replace").strip()
    count = rest[1:].decode("utf-8", "replace").strip()
    if (
        not elem
        or not count
        or not _evaluates_alike(elem)
        or inner[: semi - (span.byte_end - span.byte_start)].strip()
    ):
        return []
    text = f"(0..{count}).map(|_| {elem}).collect::<Vec<_>>()"
    edits = [Edit(file=span.file_name, start=mac.start_byte, end=mac.end_byte, replacement=text)]
    why = (
        f"build each slot anew, `{text}`, instead of cloning one `{elem}` into every slot:"
        " no `Clone` bound is needed, so the element types the code accepts stay as they are"
    )
    return [_make(edits, why, "op:fill-each-slot", "E0277", 0.8)]
