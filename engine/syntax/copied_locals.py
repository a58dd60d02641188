"""A local whose value is read out of a borrowed input by a plain place expression: `let best =
xs[0];`, `let p = *first;`, `let n = cfg.name;` with `xs: &[T]`, `first: &T`, `cfg: &Config`.

Why: when the function returns a reference and rustc says the result borrows such a local (E0515),
the local is a copy (or an attempted move) of data the caller already owns. "Return owned data" or
"build it in the caller" change the API for nothing: the signature already ties the output to an
input, and binding the local as a reference into that input (`&xs[0]`) lets the result borrow what
the caller keeps alive. The same `let` is often where rustc reports a move out of the input (E0508,
E0507), so one fix there answers both.

Pure: bytes in, names out; tree-sitter nodes never leave this module.
"""

from __future__ import annotations

import msgspec

from engine.syntax.tree import binding_of, declaration_of, enclosing_fn, node_text

_PLACES = ("index_expression", "field_expression", "unary_expression", "parenthesized_expression")


class CopiedLocal(msgspec.Struct, frozen=True, kw_only=True):
    """`let {name} = {place};` at `line`, where `place` reads from the reference parameter `input`."""

    name: str
    place: str
    input: str
    line: int
    place_start: int  # the byte where `place` starts in the `let`


def _root(n):  # noqa: ANN001, ANN202 - tree_sitter.Node in and out
    """The identifier a place expression starts from (`xs` in `xs[0].a`, `p` in `*p`), or None when
    a step is not a place (a call, a literal)."""
    while n is not None and n.type != "identifier":
        if n.type not in _PLACES:
            return None
        if n.type == "unary_expression" and not node_text(n).lstrip().startswith("*"):
            return None
        n = n.child_by_field_name("value") if n.type == "field_expression" else n.named_children[0]
    return n


def copied_from_input(source: bytes, name: str, at: int) -> CopiedLocal | None:
    """The local `name` in scope at byte `at`, when its `let` reads a place rooted at a parameter
    whose written type is a reference, in a function whose return type holds a reference."""
    fn = enclosing_fn(source, at)
    b = binding_of(source, name, at)
    decl = declaration_of(source, b) if b is not None else None
    if fn is None or decl is None or decl.type != "let_declaration" or "&" not in (fn.return_type or ""):
        return None
    value = decl.child_by_field_name("value")
    if value is None or value.type not in _PLACES or (root := _root(value)) is None:
        return None
    param = binding_of(source, node_text(root), root.start_byte)
    pdecl = declaration_of(source, param) if param is not None and param.kind == "param" else None
    written = node_text(pdecl.child_by_field_name("type")) if pdecl is not None else ""
    if not written.lstrip().startswith("&"):
        return None
    return CopiedLocal(
        name=name,
        place=node_text(value),
        input=node_text(root),
        line=decl.start_point[0] + 1,
        place_start=value.start_byte,
    )


def borrows_of(source: bytes, name: str, start: int, end: int) -> list[tuple[int, int]]:
    """The byte ranges of `&name` written between `start` and `end` (a returned `Some(&best)`)."""
    from engine.syntax.tree import parse, preorder

    return [
        (n.start_byte, n.end_byte)
        for n in preorder(parse(source).root_node)
        if n.type == "reference_expression"
        and start <= n.start_byte
        and n.end_byte <= end
        and node_text(n.child_by_field_name("value")) == name
        and not node_text(n).startswith("&mut")
    ]
