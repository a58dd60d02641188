"""A borrow returned from one branch of `if let Some(v) = map.get(k)`, then the map changed: check
the key first, and borrow only on the path that returns.

rustc (E0502/E0499, with "returning this value requires that `self.map` is borrowed for `'1`"): the
lookup in the `if let` condition is a borrow that the returned `v` must carry out of the function,
so the borrow checker keeps it alive on every path, the one that inserts included. The general
mistake is taking the borrow before knowing that this path returns it. `map.contains_key(k)` takes
no borrow that outlives the condition; the body then takes `&map[k]` on the returning path only, and
the rest of the function may change the map. Offered only for a receiver whose written type is a
`HashMap`/`BTreeMap` (syntax layer) looked up with `get`, in a returning `if let` (not `while let`).
The sandbox says whether it compiles. Pure; the syntax layer finds the condition and the body.
"""

from __future__ import annotations

from engine.repair.template_kit import Reader, _make
from engine.repair.types import Candidate, Edit
from engine.syntax.item_types import container_of, is_map
from engine.syntax.tree import ancestors, node_at, node_text
from toolbelt.types import Diagnostic

_FIRST = ("immutable borrow occurs here", "first mutable borrow occurs here", "mutable borrow occurs here")


def checked_lookup(d: Diagnostic, read: Reader) -> list[Candidate]:
    first = next((s for s in d.spans if not s.is_primary and s.label in _FIRST), None)
    returns = any((s.label or "").startswith("returning this value requires") for s in d.spans)
    source = read(first.file_name) if first is not None else None
    if first is None or source is None or not returns:
        return []
    cond = next(
        (
            a
            for a in ancestors(node_at(source, first.byte_start, first.byte_end))
            if a.type == "let_condition"
        ),
        None,
    )
    branch = cond.parent if cond is not None else None
    pattern = cond.child_by_field_name("pattern") if cond is not None else None
    value = cond.child_by_field_name("value") if cond is not None else None
    body = branch.child_by_field_name("consequence") if branch is not None else None
    if (
        cond is None
        or branch is None
        or branch.type != "if_expression"
        or pattern is None
        or value is None
        or body is None
    ):
        return []
    head = pattern.child_by_field_name("type")
    inner = [c for c in pattern.named_children if head is None or c.start_byte != head.start_byte]
    if node_text(head) != "Some" or len(inner) != 1 or inner[0].type != "identifier":
        return []
    fn = value.child_by_field_name("function")
    args = value.child_by_field_name("arguments")
    written = container_of(source, value)
    if fn is None or args is None or node_text(fn.child_by_field_name("field")) != "get" or not written:
        return []
    if not is_map(written) or len(args.named_children) != 1:
        return []
    recv = node_text(fn.child_by_field_name("value"))
    key = node_text(args.named_children[0])
    stmt = body.named_children[0] if body.named_children else None
    if stmt is None:
        return []
    line = source.rfind(b"\n", 0, stmt.start_byte) + 1
    indent = source[line : stmt.start_byte].decode("utf-8", "replace")
    name = node_text(inner[0])
    edits = [
        Edit(
            file=first.file_name,
            start=cond.start_byte,
            end=cond.end_byte,
            replacement=f"{recv}.contains_key({key})",
        ),
        Edit(
            file=first.file_name,
            start=stmt.start_byte,
            end=stmt.start_byte,
            replacement=f"let {name} = &{recv}[{key}];\n{indent}",
        ),
    ]
    desc = (
        f"check `{recv}.contains_key({key})` first and borrow `&{recv}[{key}]` only on the path that "
        "returns it: no borrow is held where the function changes the map"
    )
    return [_make(edits, desc, "check-then-borrow", d.code_str or "", 0.8)]
