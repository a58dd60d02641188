"""Whether an indexed read is a cursor's: `v[i]` read, then `i` advanced later in the same fn.

The mistake it guards: taking the element out of the container (`v.remove(i)`, `v.swap_remove(i)`)
to get an owned value compiles, but where the index is a cursor that moves on after the read
(`self.tokens[self.pos]` then `self.pos += 1`), removing shifts the next element into the slot the
cursor just left, so the following read skips it, and the container's length changes under code
that may count it. With no test to settle it, a fix that keeps the container whole goes first.
"""

from __future__ import annotations

from engine.syntax.tree import ancestors, node_at, node_text, preorder

_FN_KINDS = ("function_item", "closure_expression")


def advanced_index(source: bytes, start: int, end: int) -> str | None:
    """The index text (`self.pos`) of the `v[i]` read at bytes [start, end) when the same fn later
    does `i += …` or `i = …`; None when the read is not indexed or the index is not advanced."""
    node = node_at(source, start, end)
    index = next((n for n in (node, *ancestors(node)) if n.type == "index_expression"), None)
    if index is None:
        for n in preorder(node):  # the edit may cover the whole `let` holding the read
            if n.type == "index_expression":
                index = n
                break
    if index is None or index.named_child_count < 2:
        return None
    key = node_text(index.named_children[1])
    if not key or any(c.isspace() for c in key) or not key.replace(".", "").replace("_", "").isalnum():
        return None  # `v[i + 1]`, `v[f(x)]`: not a plain place that can be advanced
    body = next((n for n in ancestors(index) if n.type in _FN_KINDS), None)
    if body is None:
        return None
    for n in preorder(body):
        if n.start_byte < index.end_byte:
            continue
        if n.type in ("compound_assignment_expr", "assignment_expression"):
            left = n.child_by_field_name("left") or (n.named_children[0] if n.named_child_count else None)
            if node_text(left) == key:
                return key
    return None
