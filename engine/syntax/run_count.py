"""How often the code at a byte runs per call of its function: once, per loop iteration, per
closure call, or each time an `if` inside a loop holds.

Why: a cost stated for one run ("each call copies one `T`") is false for code in a loop body, which
runs once per iteration, or under an `if` there, which runs each time the condition holds. The
answer is read from the tree around the byte, up to the enclosing function; a loop's condition or
iterable and an `if`'s condition run too, but are not what a fix inside the body changes.

Pure: bytes in, one phrase out.
"""

from __future__ import annotations

import tree_sitter

from engine.syntax.tree import node_at, node_text

_LOOPS = {"for_expression": "for", "while_expression": "while", "loop_expression": "loop"}
_STOP = ("function_item", "source_file")


def _line(n: tree_sitter.Node) -> int:
    return n.start_point[0] + 1


def _within(child: tree_sitter.Node, part: tree_sitter.Node | None) -> bool:
    return part is not None and part.start_byte <= child.start_byte and child.end_byte <= part.end_byte


def _in_body(child: tree_sitter.Node, parent: tree_sitter.Node) -> bool:
    """`child` is the part of `parent` that repeats, not its head (iterable, condition, parameters)."""
    return _within(child, parent.child_by_field_name("body"))


def _closure_caller(closure: tree_sitter.Node) -> str:
    """The method a closure is an argument of (`map` in `it.map(|x| ..)`), or ""."""
    args = closure.parent
    call = args.parent if args is not None and args.type == "arguments" else None
    fn = call.child_by_field_name("function") if call is not None else None
    if fn is None or fn.type != "field_expression":
        return ""
    return node_text(fn.child_by_field_name("field"))


def how_often(source: bytes, start: int, end: int | None = None) -> str:
    """A phrase for how often the code at `start`..`end` runs per call of its function, or "" for
    once (straight-line code, or nothing the tree can tell)."""
    node = node_at(source, start, start + 1 if end is None else end)
    guard: tuple[tree_sitter.Node, str] | None = None  # the innermost `if` around it, and its branch
    child, parent = node, node.parent
    while parent is not None and parent.type not in _STOP:
        if parent.type == "if_expression" and guard is None:
            if _within(child, parent.child_by_field_name("consequence")):
                guard = parent, "holds"
            elif _within(child, parent.child_by_field_name("alternative")):
                guard = parent, "does not hold"
        elif parent.type in _LOOPS and _in_body(child, parent):
            kind = _LOOPS[parent.type]
            if guard is not None:
                return (
                    f"each time the `if` at line {_line(guard[0])} {guard[1]}, up to once per iteration"
                    f" of the `{kind}` loop at line {_line(parent)}"
                )
            return f"on every iteration of the `{kind}` loop at line {_line(parent)}"
        elif parent.type == "closure_expression" and _in_body(child, parent):
            method = _closure_caller(parent)
            if method:
                return f"each time `{method}` calls the closure at line {_line(parent)}"
            return f"each time the closure at line {_line(parent)} runs"
        child, parent = parent, parent.parent
    return ""
