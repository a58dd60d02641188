"""Where a local dies: the end of the innermost block that declares it, read from the syntax tree.

The general mistake this answers: saying "the function owns `x` and drops it when it returns" of a
local declared inside a loop body, a closure or an inner block. Such a local dies much earlier, at
the end of each iteration or of its block, and a borrow of it stored in something that outlives that
block (a map built across iterations) is dead before the function even returns. The drop point is the
closing brace of the block whose statement list holds the `let` (or the loop whose pattern binds it,
or the function or closure whose parameter it is). Pure: bytes in, words out.
"""

from __future__ import annotations

from engine.syntax.tree import ancestors, binding_of, node_at

_LOOPS = {"for_expression": "for", "while_expression": "while", "loop_expression": "loop"}


def _line(source: bytes, at: int) -> int:
    return source.count(b"\n", 0, at) + 1


def drop_point(source: bytes, name: str, at: int) -> str | None:
    """When the local `name` in scope at byte `at` is dropped, as words that follow "dropped":
    "when the function returns", "when the closure returns", "at the end of each iteration of the
    `for` loop at line 6", "at the end of the block that closes at line 12"; None when no binding of
    `name` is in scope there (then nothing is said about it)."""
    b = binding_of(source, name, at)
    if b is None:
        return None
    node = node_at(source, b.range.start, b.range.end)
    if b.kind == "for":  # the loop's own pattern: a fresh value each iteration
        loop = next((a for a in ancestors(node) if a.type in _LOOPS), None)
        if loop is None:
            return None
        return f"at the end of each iteration of the `for` loop at line {_line(source, loop.start_byte)}"
    if b.kind in ("param", "closure-param"):
        return "when the closure returns" if b.kind == "closure-param" else "when the function returns"
    if b.kind != "let":
        return None
    block = next((a for a in ancestors(node) if a.type == "block"), None)
    if block is None:
        return None
    owner = block.parent
    kind = owner.type if owner is not None else ""
    if kind in _LOOPS and owner is not None:
        word = _LOOPS[kind]
        return f"at the end of each iteration of the `{word}` loop at line {_line(source, owner.start_byte)}"
    if kind == "function_item":
        return "when the function returns"
    if kind == "closure_expression":
        return "when the closure returns, each time it is called"
    return f"at the end of the block that closes at line {_line(source, block.end_byte - 1)}"
