"""Preconditions of ways out that hang on the item around rustc's span: the `fn` or `impl` block.

Kept apart from preconditions.py (which delegates here) so that each stays a module one can read.
Each is decided on the syntax tree at rustc's primary span, and unknown means no:

- `fn_not_recursive`: the `fn` item around rustc's span never calls itself (engine/syntax/recursive_fn.py):
  a closure has no name to call itself by, so only then can an inner `fn` become one (E0434).
- `impl_assoc_type_expected`: the `impl Trait for T` block around rustc's span declares an associated
  type (`type Item = usize;`) whose value is the type rustc expected where the method's signature
  differs (E0053's "expected `usize`, found `u32`"). Only then can the impl's associated type change
  to the method's type instead of the method to the trait's: a std trait's declaration never can.
  The difference must be in the method's return type (rustc's expected and found signatures).
"""

from __future__ import annotations

import re
from pathlib import Path

from toolbelt.diagnostics import in_user_crate
from toolbelt.span_source import span_source
from toolbelt.types import Diagnostic

# the return type in rustc's "expected signature `fn(..) -> R`" and "found signature `..`" (one
# child's message holds both lines): the associated type is the method's output, not an argument
_RETURNS = re.compile(r"signature `fn\(.*?\) -> (.+?)`")
NAMES = frozenset({"fn_not_recursive", "impl_assoc_type_expected"})


def holds(predicate: str, diag: Diagnostic, crate_root: str | Path, vals: dict[str, str]) -> bool:
    """Whether one of these preconditions holds for this story; unknown means no."""
    prim = diag.primary
    source = span_source(crate_root, prim) if prim is not None and in_user_crate(prim.file_name) else None
    if source is None or prim is None:
        return False
    if predicate == "fn_not_recursive":
        from engine.syntax.recursive_fn import self_calling_fn

        return self_calling_fn(source, prim.byte_start, prim.byte_end) is None
    if predicate == "impl_assoc_type_expected":
        expected, found = vals.get("expected", "").strip(), vals.get("found", "").strip()
        if not expected or expected not in _assoc_type_values(source, prim.byte_start, prim.byte_end):
            return False
        said = [_RETURNS.findall(c.message) for c in diag.children]
        outputs = [r for rs in said for r in rs]
        return (
            len(outputs) == 2 and outputs[0] != outputs[1] and expected in outputs[0] and found in outputs[1]
        )
    return False


def _assoc_type_values(source: bytes, start: int, end: int) -> set[str]:
    """The values of the associated types (`type Item = usize;`) the trait impl around the span declares."""
    from engine.syntax.tree import ancestors, node_at, node_text

    impl = next((n for n in ancestors(node_at(source, start, end)) if n.type == "impl_item"), None)
    body = (
        impl.child_by_field_name("body") if impl is not None and impl.child_by_field_name("trait") else None
    )
    if body is None:
        return set()
    return {
        " ".join(node_text(c.child_by_field_name("type")).split())
        for c in body.named_children
        if c.type == "type_item" and c.child_by_field_name("type") is not None
    }
