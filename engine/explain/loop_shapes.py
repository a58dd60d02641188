"""Shape tags of a loop around rustc's span: a value moved in an earlier iteration, an index loop.

Split from `engine.explain.shapes` (the tags at the primary span): both answers are read from the
loop node that holds the span (which statement moved, whether the move runs again, how the index is
used), so "the same code, run twice" or "iterate directly" is never said from rustc's words alone.
"""

from __future__ import annotations

import re

from toolbelt.types import Diagnostic

_LOOPS = ("for_expression", "while_expression", "loop_expression")
_STATEMENTS = ("expression_statement", "let_declaration")


def loop_move_tags(diag: Diagnostic, source: bytes) -> set[str]:
    """A value moved "in previous iteration of loop" (facts.moved_in_loop): `move_same_statement`
    when the use rustc reports is the moving statement itself (the same code, run again),
    `use_later_in_loop` when it is another statement of the loop, `use_after_loop` when it comes
    after the loop. Decided from the spans, so "the same code, run twice" is never said of a use after
    the loop. A use after the loop whose move runs again on the next iteration (nothing after the move
    leaves the loop or puts a value back) also gets `moved_again_in_loop`: rustc reports one use per
    move, the first it finds, and the loop's own next iteration conflicts before the code after it;
    moving that use, or reordering around it, cannot fix it."""
    from engine.facts.parse import facts_of
    from engine.facts.parse import place as facts_place

    prim, facts = diag.primary, facts_of(diag)
    moved = facts.moved_at if facts.moved_in_loop else None
    if moved is None and prim is not None and "in previous iteration of loop" in (prim.label or ""):
        moved = facts_place(prim)  # the move is the use itself: facts skip the primary span
    if prim is None or moved is None or moved.file != prim.file_name:
        return set()
    from engine.syntax.tree import ancestors, enclosing, node_at

    if max(moved.end, prim.byte_end) > len(source):
        return set()
    node = node_at(source, moved.start, moved.end)
    loop = next((a for a in ancestors(node) if a.type in _LOOPS), None)
    if loop is None:
        return set()
    if not (loop.start_byte <= prim.byte_start and prim.byte_end <= loop.end_byte):
        again = facts.binding is not None and _runs_again(node, loop, facts.binding)
        return {"use_after_loop", "moved_again_in_loop"} if again else {"use_after_loop"}
    a = enclosing(source, moved.start, moved.end, _STATEMENTS)
    b = enclosing(source, prim.byte_start, prim.byte_end, _STATEMENTS)
    same = (moved.start, moved.end) == (prim.byte_start, prim.byte_end) or (
        a is not None and b is not None and a[1].start == b[1].start and a[1].end == b[1].end
    )
    return {"move_same_statement" if same else "use_later_in_loop"}


_EXITS = ("break_expression", "return_expression")


def _runs_again(node, loop, name: str) -> bool:  # noqa: ANN001 - tree_sitter.Nodes
    """Whether the move at `node` reaches the next iteration with `name` still moved: no statement
    after it, in any block between it and the loop, leaves the loop (`break`, `return`) or assigns
    `name` again. A move inside `break ..`/`return ..` itself never comes back."""
    from engine.syntax.tree import ancestors, preorder

    inner = node
    for a in ancestors(node):
        if a.type in _EXITS:
            return False
        if a.id == loop.id:
            return True
        if a.type == "block":
            for later in (c for c in a.named_children if c.start_byte >= inner.end_byte):
                for n in preorder(later):
                    if n.type in _EXITS and not any(
                        x.type == "closure_expression" for x in _between(n, later)
                    ):
                        return False
                    if n.type == "assignment_expression":
                        left = n.child_by_field_name("left")
                        if left is not None and (left.text or b"").decode() == name:
                            return False
        inner = a
    return True


def _between(n, top):  # noqa: ANN001, ANN202 - tree_sitter.Nodes
    """The ancestors of `n` up to and including `top`."""
    from engine.syntax.tree import ancestors

    out = []
    for a in ancestors(n):
        out.append(a)
        if a.id == top.id:
            break
    return out


def index_loop_tags(diag: Diagnostic, source: bytes, vals: dict[str, str]) -> set[str]:
    """An index loop (clippy::needless_range_loop): `index_only` when every use of the loop variable
    is `coll[i]`, `index_also_used` when the body needs the index itself (arithmetic, another
    collection); read from the tree, so "iterate directly" is never said of a loop that needs `i`."""
    prim = diag.primary
    if diag.code_str != "clippy::needless_range_loop" or prim is None:
        return set()
    from engine.syntax.range_loops import index_loop

    named = re.search(r"used to index `([^`]+)`", diag.message)
    loop = index_loop(source, prim.byte_start, prim.byte_end, named.group(1) if named else None)
    if loop is None:
        return set()
    vals["binding"] = loop.collection
    if not loop.other_uses:
        return {"index_only"}
    first = loop.other_uses[0]
    vals["index_use"] = f"`{first.text}` at line {first.line}"
    return {"index_also_used"}
