"""A binding that keeps a borrow alive only to read a `Copy` item: `while let Some(c) = it.peek()`.

rustc (E0499/E0502): the first borrow is the call in an `if let`/`while let` condition
(`chars.peek()`, `map.get(k)`), and the body borrows the receiver again (`chars.next()`) while `c`,
a reference into it, is still used. The general mistake: binding the reference when the code only
needs the value. Matching `Some(&c)` copies the item out of the reference, so the borrow ends with
the condition; every `*c` in the body becomes `c`. It compiles only when the item is `Copy` (a
`char`, a number): where the code writes the item's type (a field's `HashMap<String, String>`, a
binding's annotation) and it is not `Copy`, no fix is made, since "copy the item out" would be
false (review A a02); where the type is not written, the sandbox decides and the name says "if its
type is `Copy`".
Pure; the syntax layer finds the pattern and the derefs.
"""

from __future__ import annotations

import tree_sitter

from engine.repair.template_kit import Reader, _make
from engine.repair.types import Candidate, Edit
from engine.syntax.item_types import is_copy, looked_up_item
from engine.syntax.tree import ancestors, node_at, node_text
from toolbelt.types import Diagnostic

_FIRST = ("first mutable borrow occurs here", "immutable borrow occurs here", "mutable borrow occurs here")
_CONDITIONS = ("while_expression", "if_expression")


def _derefs(body: tree_sitter.Node, name: str) -> list[tree_sitter.Node]:
    """Every `*name` in the body (a closure or block that rebinds `name` is rare enough to leave to
    the sandbox, which rejects a patch that changes another binding's meaning)."""
    out: list[tree_sitter.Node] = []
    stack = [body]
    while stack:
        n = stack.pop()
        if n.type == "unary_expression" and node_text(n).startswith("*"):
            arg = n.named_children[0] if n.named_children else None
            if arg is not None and arg.type == "identifier" and node_text(arg) == name:
                out.append(n)
                continue
        stack.extend(n.children)
    return out


def copied_peek(d: Diagnostic, read: Reader) -> list[Candidate]:
    first = next((s for s in d.spans if not s.is_primary and s.label in _FIRST), None)
    source = read(first.file_name) if first is not None else None
    if first is None or source is None:
        return []
    cond = next(
        (
            a
            for a in ancestors(node_at(source, first.byte_start, first.byte_end))
            if a.type == "let_condition"
        ),
        None,
    )
    loop = cond.parent if cond is not None else None
    pattern = cond.child_by_field_name("pattern") if cond is not None else None
    value = cond.child_by_field_name("value") if cond is not None else None
    if loop is None or loop.type not in _CONDITIONS or pattern is None or value is None:
        return []
    if not (value.start_byte <= first.byte_start and first.byte_end <= value.end_byte):
        return []
    head = pattern.child_by_field_name("type")
    inner = [c for c in pattern.named_children if head is None or c.start_byte != head.start_byte]
    if pattern.type != "tuple_struct_pattern" or node_text(head) != "Some" or len(inner) != 1:
        return []
    bound = inner[0]
    if bound.type != "identifier":
        return []
    name = node_text(bound)
    body = (
        loop.child_by_field_name("body")
        if loop.type == "while_expression"
        else loop.child_by_field_name("consequence")
    )
    if body is None:
        return []
    item = looked_up_item(source, value)
    copy = is_copy(item, source) if item is not None else None
    if copy is False:  # `Some(&v)` would move a `String` out of the borrow (E0507): no way out
        return []
    edits = [Edit(file=first.file_name, start=bound.start_byte, end=bound.start_byte, replacement="&")]
    edits += [
        Edit(file=first.file_name, start=n.start_byte, end=n.end_byte, replacement=name)
        for n in _derefs(body, name)
    ]
    desc = (
        f"match `Some(&{name})`: copy the `{item}` out of the reference, so the borrow ends with the condition"
        if copy
        else f"match `Some(&{name})`: copy the item out of the reference (if its type is `Copy`), so the "
        "borrow ends with the condition"
    )
    return [_make(edits, desc, "copy-out-of-borrow", d.code_str or "", 0.85)]
