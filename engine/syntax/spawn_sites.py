"""Where a thread is spawned relative to a borrowing iteration: one thread per element of `.iter()`.

"Iterate by value, with `into_iter` instead of `iter`, so each element moves into its own thread" is
advice for one shape only: the `spawn(..)` call runs once per element of an iteration that borrows
its collection (`for c in chunks.iter() { spawn(..) }`, `for c in &chunks`, or a closure handed to
an adapter on `.iter()`: `chunks.iter().map(|c| spawn(..))`). A single spawn, or a loop over a
range, has no element to move in, and the advice names code the program does not have.

Pure: bytes and byte offsets in, a bool out. Tree-sitter nodes never leave this module.
"""

from __future__ import annotations

import tree_sitter

from engine.syntax.tree import ancestors, node_at, preorder

_BORROWING = frozenset({b"iter", b"iter_mut"})


def _calls_iter(node: tree_sitter.Node | None) -> bool:
    """The expression borrows a collection to iterate: an `.iter()`/`.iter_mut()` call in it, or
    it is `&x` / `&mut x` (a `for` loop's implicit `iter`)."""
    if node is None:
        return False
    if node.type == "reference_expression":
        return True
    for n in preorder(node):
        if n.type != "call_expression":
            continue
        f = n.child_by_field_name("function")
        name = f.child_by_field_name("field") if f is not None and f.type == "field_expression" else None
        if name is not None and name.text in _BORROWING:
            return True
    return False


def spawn_per_borrowed_element(source: bytes, start: int, end: int) -> bool:
    """The span (a `spawn(..)` call) runs once per element of an iteration that borrows its
    collection: it is in the body of a `for` over `.iter()`/`&x`, or in a closure passed to a method
    whose receiver chain calls `.iter()`. Stops at the enclosing fn."""
    node = node_at(source, start, end)
    for a in ancestors(node):
        if a.type in ("function_item", "impl_item"):
            return False
        if a.type == "for_expression":
            body = a.child_by_field_name("body")
            if body is not None and body.start_byte <= start and end <= body.end_byte:
                return _calls_iter(a.child_by_field_name("value"))
        if a.type == "closure_expression":
            args = a.parent
            call = args.parent if args is not None and args.type == "arguments" else None
            f = call.child_by_field_name("function") if call is not None else None
            if f is not None and f.type == "field_expression":
                return _calls_iter(f.child_by_field_name("value"))
    return False
