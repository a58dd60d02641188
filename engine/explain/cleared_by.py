"""A story whose error goes with another story's ✓ fix, told at the signature that fix changes.

The general mistake it answers: one wrong signature gives two errors, one at the signature (a
missing or elided lifetime) and one at a caller (`t` does not live long enough, where the result of
`t.next_word()` is kept after `t` dies). Validation shows that the first story's fix clears the
second too; left alone, the second story still names rustc's span as its root cause and advises
restructuring the caller, which that fix makes unnecessary. When one of the second story's rustc
spans lies in a call of a fn whose signature (not body) the fix edits, that signature is its root
cause and its ways out in words go. A cleared story with no such call keeps its words: that it goes
with the fix is said by the fix ("#2 goes with it too"), and no cause is claimed. Pure.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import msgspec

from engine.explain.types import Explanation, Location, PatchOption
from engine.syntax.tree import ancestors, node_at, node_text, parse, preorder

Reader = Callable[[str], bytes | None]


def _edited_signatures(fix: PatchOption, read: Reader) -> dict[str, Location]:
    """The fns whose signature an edit of `fix` writes into, by name, each at the edit's line."""
    out: dict[str, Location] = {}
    for ed in fix.edits:
        source = read(ed.file)
        if source is None:
            continue
        old = source[ed.start : ed.end]
        start = ed.start + len(old) - len(old.lstrip())  # a line-wide edit starts at the indentation
        node = node_at(source, start, start)  # and may end inside the body's `{`
        fn = next((a for a in (node, *ancestors(node)) if a.type == "function_item"), None)
        body = fn.child_by_field_name("body") if fn is not None else None
        name = fn.child_by_field_name("name") if fn is not None else None
        if fn is None or body is None or name is None or start >= body.start_byte:
            continue
        at = name.start_byte  # a line-wide edit starts at column 1: the fn's name says which signature
        line = source.count(b"\n", 0, at) + 1
        column = at - (source.rfind(b"\n", 0, at) + 1) + 1
        out.setdefault(node_text(name), Location(file=ed.file, line=line, column=column))
    return out


def _callee(call) -> str:  # noqa: ANN001 - a tree_sitter.Node (call_expression)
    f = call.child_by_field_name("function")
    if f is None:
        return ""
    if f.type == "field_expression":
        field = f.child_by_field_name("field")
        return node_text(field) if field is not None else ""
    return node_text(f).rsplit("::", 1)[-1]


def called_signature(y: Explanation, fix: PatchOption, read: Reader) -> tuple[str, Location] | None:
    """The fn, and where `fix` edits its signature, that a call overlapping one of `y`'s spans makes."""
    edited = _edited_signatures(fix, read)
    if not edited:
        return None
    for d in y.diagnostics:
        for sp in d.spans:
            source = read(sp.file_name)
            if source is None:
                continue
            for n in preorder(parse(source).root_node):
                if n.type != "call_expression" or n.end_byte <= sp.byte_start or n.start_byte >= sp.byte_end:
                    continue
                name = _callee(n)
                if name in edited:
                    return name, edited[name]
    return None


def rooted(stories: Sequence[Explanation], read: Reader) -> list[Explanation]:
    """Each story without a ✓ fix of its own that another story's ✓ lead clears through a signature
    its code calls, with that signature as its root cause and no ways out in words (`goes_with`)."""
    out = list(stories)
    for j, y in enumerate(stories):
        if any(o.ticked for o in y.fixes):
            continue
        for i, x in enumerate(stories):
            lead = x.fixes[0] if x.fixes else None
            if i == j or lead is None or not lead.ticked or j not in (*lead.clears, *lead.also_clears):
                continue
            found = called_signature(y, lead, read)
            if found is None:
                continue
            name, at = found
            out[j] = msgspec.structs.replace(
                y,
                root_cause=at,
                root_cause_reason=f"the signature of `{name}`, which #{i + 1}'s fix changes; with it this error goes too",
                options=(),
                goes_with=i + 1,
            )
            break
    return out
