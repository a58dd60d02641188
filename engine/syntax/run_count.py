"""How often the code at a byte runs per call of its function: once, per loop iteration, per
closure call, or each time an `if` inside a loop holds or a `match` arm there runs; in a closure
given to a std method that runs it on one path only (`or_insert_with`, `map_err`, `unwrap_or_else`,
`ok_or_else`, `get_or_insert_with`), only on that path.

Why: a cost stated for one run ("each call copies one `T`") is false for code in a loop body, which
runs once per iteration, or under an `if` or in a `match` arm there, which runs each time the
condition holds or the arm is taken (a `None =>` arm that inserts a new key runs once per new key,
not on every iteration). The general mistake of the lazy case: pricing `.or_insert_with(||
tag.to_string())` as an allocation per call, while it allocates only for a new key. The
answer is read from the tree around the byte, up to the enclosing function; a loop's condition or
iterable and an `if`'s condition run too, but are not what a fix inside the body changes.

Pure: bytes in, one phrase out.
"""

from __future__ import annotations

import tree_sitter

from engine.syntax.tree import node_at, node_text

_LOOPS = {"for_expression": "for", "while_expression": "while", "loop_expression": "loop"}
_STOP = ("function_item", "source_file")
_ARM_PATTERN_MAX = 40  # a longer pattern is named by its line instead
# std methods that run their closure only on one path: the closure's cost is paid only there
LAZY = {
    "or_insert_with": "only when the key is new (`or_insert_with` runs its closure only for a vacant entry)",
    "or_insert_with_key": "only when the key is new (`or_insert_with_key` runs its closure only for a vacant entry)",
    "get_or_insert_with": "only when the `Option` is `None` (`get_or_insert_with` runs its closure only then)",
    "map_err": "only on the error path (`map_err` runs its closure only for an `Err`)",
    "ok_or_else": "only on the `None` path (`ok_or_else` runs its closure only for `None`)",
    "unwrap_or_else": "only on the `None` or `Err` path (`unwrap_or_else` runs its closure only there)",
    "or_else": "only on the `None` or `Err` path (`or_else` runs its closure only there)",
}


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


def _arm_runs(arm: tree_sitter.Node) -> str:
    """`each time the `None` arm of the `match` at line 14 runs`: the arm named by its pattern."""
    pattern = arm.child_by_field_name("pattern")
    text = " ".join(node_text(pattern).split()) if pattern is not None else ""
    match = arm.parent.parent if arm.parent is not None else None
    at = (
        f"the `match` at line {_line(match)}"
        if match is not None
        else f"the `match` arm at line {_line(arm)}"
    )
    if not text or len(text) > _ARM_PATTERN_MAX or "`" in text:
        return f"each time the arm at line {_line(arm)} of {at} runs"
    return f"each time the `{text}` arm of {at} runs"


def _loop_around(node: tree_sitter.Node) -> str:
    """`the `for` loop at line 15` whose body holds `node`, up to its function; "" for none."""
    child, parent = node, node.parent
    while parent is not None and parent.type not in _STOP:
        if parent.type in _LOOPS and _in_body(child, parent):
            return f"the `{_LOOPS[parent.type]}` loop at line {_line(parent)}"
        if parent.type == "closure_expression":
            return ""  # the closure's own runs are not the loop's
        child, parent = parent, parent.parent
    return ""


def how_often(source: bytes, start: int, end: int | None = None) -> str:
    """A phrase for how often the code at `start`..`end` runs per call of its function, or "" for
    once (straight-line code, or nothing the tree can tell)."""
    node = node_at(source, start, start + 1 if end is None else end)
    guard: str | None = None  # when the innermost `if` or `match` arm around it runs, as words
    child, parent = node, node.parent
    while parent is not None and parent.type not in _STOP:
        if parent.type == "if_expression" and guard is None:
            if _within(child, parent.child_by_field_name("consequence")):
                guard = f"each time the `if` at line {_line(parent)} holds"
            elif _within(child, parent.child_by_field_name("alternative")):
                guard = f"each time the `if` at line {_line(parent)} does not hold"
        elif (
            parent.type == "match_arm"
            and guard is None
            and _within(child, parent.child_by_field_name("value"))
        ):
            guard = _arm_runs(parent)
        elif parent.type in _LOOPS and _in_body(child, parent):
            kind = _LOOPS[parent.type]
            if guard is not None:
                return f"{guard}, up to once per iteration of the `{kind}` loop at line {_line(parent)}"
            return f"on every iteration of the `{kind}` loop at line {_line(parent)}"
        elif parent.type == "closure_expression" and _in_body(child, parent):
            method = _closure_caller(parent)
            if method in LAZY:  # the closure runs only on one path: that is when the code runs
                loop = _loop_around(parent)
                return f"{LAZY[method]}, up to once per iteration of {loop}" if loop else LAZY[method]
            if method:
                return f"each time `{method}` calls the closure at line {_line(parent)}"
            return f"each time the closure at line {_line(parent)} runs"
        child, parent = parent, parent.parent
    return ""
