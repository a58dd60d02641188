"""The type a binding is declared with, as the code writes it: a parameter's type, a `let`'s
annotation, or the struct a `let` builds with a literal (`let s = Session { .. }`).

Why: rustc's message about a move while borrowed (E0505) names the value, not its type, and a way
out that clones the value compiles only if that type is `Clone`. A constructor call (`T::new()`) is
not read: what it returns is the callee's business, not a written fact.

Pure: bytes in, type text out.
"""

from __future__ import annotations

from engine.syntax.tree import binding_of, declaration_of, node_text


def declared_type(source: bytes, name: str, at: int) -> str | None:
    """The written type of the binding of `name` in scope at byte `at`, or None."""
    b = binding_of(source, name, at)
    decl = declaration_of(source, b) if b is not None else None
    if decl is None:
        return None
    pattern = decl.child_by_field_name("pattern")
    if pattern is None or node_text(pattern).removeprefix("mut ").strip() != name:
        return None  # a destructuring pattern: the written type is the whole's, not the name's
    written = decl.child_by_field_name("type")
    if written is not None:
        return node_text(written)
    value = decl.child_by_field_name("value") if decl.type == "let_declaration" else None
    if value is not None and value.type == "struct_expression":
        return node_text(value.child_by_field_name("name")) or None
    return None
