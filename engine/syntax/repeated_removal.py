"""A removal the code already makes after reading an element: `let x = v[i];` then `v.remove(i);`.

The general mistake it guards: an ownership transfer replaces a read that the code follows with its
own removal. `let job = self.jobs[best];` (E0507) fixed as `let job = self.jobs.remove(best);`
compiles, but the `self.jobs.remove(best);` that came next still runs and now takes out the element
that shifted into slot `best`: two elements go where the code meant one. The same holds for
`swap_remove(i)` and for `pop()` after reading the last element. A transfer is right only together
with deleting that later removal, and only when it provably removes the same element: same receiver,
same index text, nothing in between that changes either, its value discarded, and run whenever the
read is (a statement of the read's own block, not one inside an `if` or a loop).

Pure: bytes in, a `Removal` Struct out; tree-sitter nodes stay here.
"""

from __future__ import annotations

import msgspec
import tree_sitter

from engine.syntax.tree import block_statement, compact, node_at, node_text, preorder

_REMOVERS = ("remove", "swap_remove")
_ASSIGN = ("assignment_expression", "compound_assignment_expr")
_NESTED = (
    "block",
    "if_expression",
    "match_expression",
    "for_expression",
    "while_expression",
    "loop_expression",
    "closure_expression",
)


class Removal(msgspec.Struct, frozen=True, kw_only=True):
    """A later call that removes from the receiver the transfer takes from.

    `start`/`end` cover its statement with its line when it stands alone on it (what deleting it
    removes); `text` is the statement as written; `method` is `remove`, `swap_remove` or `pop`.
    `proven`: it removes the very element the read names, so the transfer replaces it; else `why`
    says what keeps that unproven."""

    start: int
    end: int
    line: int
    text: str
    method: str
    proven: bool
    why: str = ""


def _removes(call: tree_sitter.Node, receiver: str, index: str | None) -> str | None:
    """The method name when `call` is `receiver.remove(index)`/`.swap_remove(index)` (or, with no
    index, `receiver.pop()`)."""
    fn = call.child_by_field_name("function")
    if fn is None or fn.type != "field_expression":
        return None
    method = node_text(fn.child_by_field_name("field"))
    if compact(node_text(fn.child_by_field_name("value"))) != compact(receiver):
        return None
    args = [
        a for a in (call.child_by_field_name("arguments") or call).named_children if "comment" not in a.type
    ]
    if index is None:
        return method if method == "pop" and not args else None
    if method in _REMOVERS and len(args) == 1 and compact(node_text(args[0])) == compact(index):
        return method
    return None


def _names(index: str | None) -> set[str]:
    """The places the index reads (`best`, `self.pos`): assigning any of them moves it."""
    out: set[str] = set()
    word = ""
    for ch in (index or "") + " ":
        if ch.isalnum() or ch in "_.":
            word += ch
            continue
        if word and not word[0].isdigit():
            out.add(word)
        word = ""
    return out


def _changes(stmt: tree_sitter.Node, receiver: str, names: set[str]) -> str:
    """Why `stmt` may make a later removal name another element: it assigns the index, or touches
    the receiver (any call on it may add or remove elements). "" when it does neither."""
    want = compact(receiver)
    for n in preorder(stmt):
        if n.type in _ASSIGN:
            left = compact(node_text(n.child_by_field_name("left") or n.named_children[0]))
            if left in {compact(x) for x in names}:
                return f"`{left}` is assigned between them"
        if n.type in ("field_expression", "identifier", "self") and compact(node_text(n)) == want:
            return f"`{receiver}` is used between them"
    return ""


def later_removal(source: bytes, start: int, end: int, receiver: str, index: str | None) -> Removal | None:
    """The first later statement of the read's block (bytes [start, end)) that removes from
    `receiver` at `index` (`pop()` when `index` is None), or that holds such a call; None when the
    block has none."""
    stmt = block_statement(node_at(source, start, end))
    if stmt is None:
        return None
    names = _names(index)
    between = ""
    sib = stmt.next_named_sibling
    while sib is not None:
        call = next(
            (n for n in preorder(sib) if n.type == "call_expression" and _removes(n, receiver, index)),
            None,
        )
        if call is None:
            between = between or _changes(sib, receiver, names)
            sib = sib.next_named_sibling
            continue
        method = _removes(call, receiver, index) or ""
        expr = sib.named_children[0] if sib.type == "expression_statement" and sib.named_children else None
        pattern = sib.child_by_field_name("pattern") if sib.type == "let_declaration" else None
        value = sib.child_by_field_name("value") if sib.type == "let_declaration" else None
        discarded = (expr is not None and expr.id == call.id) or (
            node_text(pattern) == "_" and value is not None and value.id == call.id
        )
        why = between
        if not why and not discarded:
            why = "its value is used"
            n = call.parent
            while n is not None and n.id != sib.id:
                if n.type in _NESTED:
                    why = "it runs only inside an `if`, a `match`, a loop or a closure"
                    break
                n = n.parent
        s, e = _line_span(source, sib.start_byte, sib.end_byte)
        return Removal(
            start=s,
            end=e,
            line=sib.start_point[0] + 1,
            text=node_text(sib),
            method=method,
            proven=not why,
            why=why,
        )
    return None


def _line_span(source: bytes, start: int, end: int) -> tuple[int, int]:
    """The statement's bytes, widened to its whole line(s) when nothing else shares them."""
    line_start = source.rfind(b"\n", 0, start) + 1
    line_end = source.find(b"\n", end)
    line_end = len(source) if line_end < 0 else line_end
    if not source[line_start:start].strip() and not source[end:line_end].strip():
        return line_start, min(line_end + 1, len(source))
    return start, end


def removal_after_read(source: bytes, start: int, end: int) -> Removal | None:
    """`later_removal` for the `v[i]` read at (or inside) bytes [start, end): a transfer's edit
    names the read it replaces, so the receiver and index come from the tree, not the fix's text."""
    node = node_at(source, start, end)
    index = next((n for n in preorder(node) if n.type == "index_expression"), None)
    if index is None or index.named_child_count != 2:
        return None
    vec, i = (node_text(c) for c in index.named_children)
    return later_removal(source, index.start_byte, index.end_byte, vec, i)
