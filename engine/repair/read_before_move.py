"""A value read after it was moved, where only a small fact about it is read (E0382:
`items.len()` after `for item in items`): read it before the move.

The value is gone after the move, but what the later code asks of it (`len()`, `is_empty()`, a
field) was already known before: `let items_len = items.len();` just before the statement that
moves `items` keeps the answer and costs no clone. The move's statement cannot change the value
before it moves it, so the answer is the one the code meant. Only a field, or a std method that
only looks and answers with a `Copy` value (`len`, `is_empty`, `is_some`): `q.take()` would empty
the value before its move. Pure; the sandbox says whether a field read moves out of the value.
"""

from __future__ import annotations

import re

from engine.facts.parse import facts_of
from engine.repair.template_kit import Reader, _make
from engine.repair.types import Candidate, Edit
from engine.syntax.tree import ancestors, node_at
from toolbelt.types import Diagnostic

FAMILY = "read-before-move"
_READ = re.compile(rb"\s*\.\s*(?P<name>[a-z_]\w*)(?P<call>\s*\(\s*\))?")
# std's zero-argument methods that only look (`&self`) and answer with a `Copy` value: a call the
# syntax cannot judge (`q.take()` empties the `Option` it reads) must not move before the move
_LOOKS = frozenset(
    {
        "len",
        "is_empty",
        "capacity",
        "is_some",
        "is_none",
        "is_ok",
        "is_err",
        "is_ascii",
        "is_finite",
        "is_nan",
    }
)
_STATEMENTS = ("expression_statement", "let_declaration")


def _moving_statement(source: bytes, start: int, end: int):  # noqa: ANN202 - a tree_sitter.Node
    node = node_at(source, start, end)
    for a in (node, *ancestors(node)):
        if (
            a.parent is not None
            and a.parent.type == "block"
            and (a.type in _STATEMENTS or a.type.endswith("_expression"))
        ):
            return a
    return None


def read_before_move(d: Diagnostic, read: Reader) -> list[Candidate]:
    f, prim = facts_of(d), d.primary
    m = re.match(r"borrow of moved value: `(?P<name>\w+)`", d.message)
    if m is None or prim is None or f.moved_at is None or f.moved_at.file != prim.file_name:
        return []
    source = read(prim.file_name)
    name = m["name"]
    if source is None or source[prim.byte_start : prim.byte_end] != name.encode():
        return []
    r = _READ.match(source, prim.byte_end)
    if r is None or (r["call"] is None and source[r.end() : r.end() + 1] == b"("):
        return []
    if r["call"] is not None and r["name"].decode() not in _LOOKS:
        return []
    stmt = _moving_statement(source, f.moved_at.start, f.moved_at.end)
    if stmt is None or stmt.end_byte > prim.byte_start:
        return []  # the use is inside the moving statement: no earlier place to read it
    line_start = source.rfind(b"\n", 0, stmt.start_byte) + 1
    indent = source[line_start : stmt.start_byte].decode("utf-8", "replace")
    if indent.strip():
        return []
    what = r["name"].decode()
    local = f"{name}_{what}"
    read_text = source[prim.byte_start : r.end()].decode("utf-8", "replace")
    edits = [
        Edit(
            file=prim.file_name,
            start=stmt.start_byte,
            end=stmt.start_byte,
            replacement=f"let {local} = {read_text};\n{indent}",
        ),
        Edit(file=prim.file_name, start=prim.byte_start, end=r.end(), replacement=local),
    ]
    why = f"read `{read_text}` before `{name}` moves, into `{local}`"
    return [_make(edits, why, FAMILY, d.code_str or "E0382", 0.8)]
