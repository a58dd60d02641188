"""E0597 where a value is dropped at the end of a bare block while a borrow of it is used after the
block: its `let` moves out, before the block, so the value lives as long as the borrow.

```text
let shortest;
{
    let lines = vec![...];          // declared here
    shortest = first(&lines);       // borrowed here
}                                   // dropped here while still borrowed
println!("{shortest}");             // used here
```

The `let lines = ...;` line goes right before the `{`. Only a bare block (one that runs once, in
order): hoisting out of a loop body or a branch would change how often or whether the value is
built. Not when the value reads a name bound earlier in the same block, which would not exist yet
before it. Pure; the sandbox says whether the borrow now lives long enough.
"""

from __future__ import annotations

import re

from engine.repair.template_kit import Reader, _make
from engine.repair.types import Candidate, Edit
from engine.syntax.tree import ancestors, names_in, node_at
from toolbelt.types import Diagnostic

_DECLARED = re.compile(r"binding `(?P<name>\w+)` declared here")
_DROPPED = re.compile(r"`(?P<name>\w+)` dropped here while still borrowed")


def hoist_out_of_block(d: Diagnostic, read: Reader) -> list[Candidate]:
    declared = next((s for s in d.spans if s.label and _DECLARED.search(s.label)), None)
    dropped = next((s for s in d.spans if s.label and _DROPPED.search(s.label)), None)
    source = read(declared.file_name) if declared is not None else None
    if declared is None or dropped is None or source is None or dropped.file_name != declared.file_name:
        return []
    node = node_at(source, declared.byte_start, declared.byte_end)
    let = next((a for a in (node, *ancestors(node)) if a.type == "let_declaration"), None)
    block = let.parent if let is not None else None
    if let is None or block is None or block.type != "block" or block.end_byte != dropped.byte_end:
        return []
    stmt = block.parent
    if (
        stmt is None
        or stmt.type != "expression_statement"
        or stmt.parent is None
        or stmt.parent.type != "block"
    ):
        return []  # a loop's or a branch's body runs a different number of times than once
    value = let.child_by_field_name("value")
    earlier = set()
    for c in block.named_children:
        if c.start_byte >= let.start_byte:
            break
        if c.type == "let_declaration" and (p := c.child_by_field_name("pattern")) is not None:
            earlier |= names_in(p)
    if value is not None and names_in(value) & earlier:
        return []
    line_start = source.rfind(b"\n", 0, let.start_byte) + 1
    if source[line_start : let.start_byte].strip():
        return []  # another statement shares the line
    line_end = source.find(b"\n", let.end_byte)
    line_end = len(source) if line_end < 0 else line_end + 1
    if source[let.end_byte : line_end].strip():
        return []
    stmt_line = source.rfind(b"\n", 0, stmt.start_byte) + 1
    indent = source[stmt_line : stmt.start_byte].decode("utf-8", "replace")
    if indent.strip():
        return []
    text = indent + (let.text or b"").decode("utf-8", "replace") + "\n"
    file = declared.file_name
    edits = [
        Edit(file=file, start=stmt_line, end=stmt_line, replacement=text),
        Edit(file=file, start=line_start, end=line_end, replacement=""),
    ]
    name = _DECLARED.search(declared.label or "")["name"]  # type: ignore[index]
    desc = f"declare `{name}` before the block, so it lives as long as the borrow"
    return [_make(edits, desc, "hoist-binding", d.code_str or "E0597", 0.8)]
