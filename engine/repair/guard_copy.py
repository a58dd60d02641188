"""E0716 on a lock or cell guard: copy out what the statement borrows while the guard still lives.

The general mistake: `let first = reg.lock().unwrap().first();` borrows through a guard that dies at
the `;`. rustc's help names the guard (`let binding = reg.lock().unwrap();`), which holds the lock
to the end of the block: a second lock of the same place later in that block waits forever (std's
`Mutex` is not reentrant) or, for a `RefCell`, panics (`engine.syntax.guards.relocked`). Ending the
borrow inside the statement drops the guard at the `;`: the copy the code makes later anyway
(`first.cloned()` at each later use) moves into the statement and those uses read the copy; when the
code makes none, `.cloned()` is tried (an `Option<&T>` or an iterator of `&T` whose items are
`Clone`). Whether it applies and the later code takes the owned value is the sandbox's to say.
Pure over the source; a guard is known from the guarded type as written (`engine.syntax.guards`).
"""

from __future__ import annotations

import tree_sitter

from engine.repair.template_kit import Reader, _make, primary_source
from engine.repair.types import Candidate, Edit
from engine.syntax.guards import guard_temporary
from engine.syntax.tree import binding_of, block_statement, node_at, node_text, preorder
from toolbelt.types import Diagnostic

_COPIES = frozenset({"cloned", "copied", "to_owned", "to_string", "to_vec", "clone"})
_POSTFIX = frozenset({"call_expression", "field_expression", "index_expression", "identifier"})


def _copy_at(use: tree_sitter.Node) -> tuple[str, tree_sitter.Node] | None:
    """`name.cloned()` around a use of `name`: the copying method and the whole call."""
    f = use.parent
    call = f.parent if f is not None else None
    if f is None or f.type != "field_expression" or call is None or call.type != "call_expression":
        return None
    args = call.child_by_field_name("arguments")
    method = node_text(f.child_by_field_name("field"))
    if method not in _COPIES or args is None or args.named_children:
        return None
    return method, call


def copy_out_of_guard(d: Diagnostic, read: Reader) -> list[Candidate]:
    opened = primary_source(d, read)
    if d.code_str != "E0716" or opened is None:
        return []
    span, source = opened
    g = guard_temporary(source, span.byte_start, span.byte_end)
    stmt = block_statement(node_at(source, span.byte_start, span.byte_end))
    if g is None or stmt is None or stmt.type != "let_declaration" or stmt.parent is None:
        return []
    pattern, value = stmt.child_by_field_name("pattern"), stmt.child_by_field_name("value")
    if pattern is None or pattern.type != "identifier" or value is None or value.type not in _POSTFIX:
        return []
    name = node_text(pattern)
    uses = [
        n
        for later in stmt.parent.named_children
        if later.start_byte >= stmt.end_byte
        for n in preorder(later)
        if n.type == "identifier"
        and node_text(n) == name
        and (b := binding_of(source, name, n.start_byte)) is not None
        and b.range.start == pattern.start_byte
    ]
    copies = [c for u in uses if (c := _copy_at(u)) is not None]
    methods = {m for m, _ in copies}
    file = span.file_name
    if copies and len(copies) == len(uses) and len(methods) == 1:
        method = methods.pop()
        edits = [Edit(file=file, start=value.end_byte, end=value.end_byte, replacement=f".{method}()")]
        edits += [Edit(file=file, start=c.start_byte, end=c.end_byte, replacement=name) for _, c in copies]
        later = f"; `{name}` then holds the copy its later uses made"
    elif not copies:
        method, edits, later = "cloned", [], ""
        edits = [Edit(file=file, start=value.end_byte, end=value.end_byte, replacement=".cloned()")]
    else:
        return []
    guard, place, _ = g
    why = (
        f"copy out what `{name}` borrows inside its statement, `{node_text(value)}.{method}()`, so the"
        f" {guard} of `{place}` is dropped at the `;`{later}; costs a copy of the borrowed item"
    )
    return [_make(edits, why, "op:guard-copy-out", "E0716", 0.72)]
