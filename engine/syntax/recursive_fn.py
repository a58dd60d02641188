"""Whether the `fn` item around a place calls itself: a closure cannot name itself, so a recursive
inner `fn` cannot become one.

Why: E0434's way out, rustc's "use the `|| { ... }` closure form instead" included, presumes the
inner `fn` only reads the local. One that calls itself by name (`walk(n + 1)` inside `fn walk`) has
no closure form: a closure has no name its own body can call, so the rewrite does not compile and
the captured value must come in as a parameter. Decided on the syntax tree, never on text.
"""

from __future__ import annotations

from engine.syntax.tree import ancestors, node_at, node_text, preorder


def self_calling_fn(source: bytes, start: int, end: int) -> str | None:
    """The name of the innermost `fn` item around `start..end` when its body calls that name as a
    plain function (`walk(..)`); None when it does not, or when no `fn` item is around the place."""
    fn = next((n for n in ancestors(node_at(source, start, end)) if n.type == "function_item"), None)
    if fn is None:
        return None
    name, body = node_text(fn.child_by_field_name("name")), fn.child_by_field_name("body")
    if not name or body is None:
        return None
    for n in preorder(body):
        callee = n.child_by_field_name("function") if n.type == "call_expression" else None
        if callee is None or callee.type != "identifier" or node_text(callee) != name:
            continue
        owner = next(a for a in ancestors(n) if a.type == "function_item")
        if owner == fn:  # a call inside a further nested fn is that fn's own
            return name
    return None
