"""E0277 "the `?` operator can only be used in a closure that returns `Result`": `?` in an adapter's
closure, whose items are then collected. Pure.

The general mistake: writing `?` inside `.map(|x| { ... })` as if it returned from the enclosing
fn. It returns from the closure, whose body ends in a plain value. When the enclosing fn already
returns a `Result` (an `Option`), the closure can yield `Ok(value)` (`Some(value)`) instead, and the
chain's `collect()` can build `Result<C, _>` (`Option<C>`), which stops at the first failure; a `?`
after it hands that failure to the fn's caller, which the fn's return type already allows. The
closure, the chain and the fn's return type come from the syntax tree; whether the error types
agree and nothing else reads the items is the sandbox's to say.
"""

from __future__ import annotations

import re

import tree_sitter

from engine.repair.template_kit import Reader, _make, _primary, fallible
from engine.repair.types import Candidate, Edit
from engine.syntax.returned_tails import tails
from engine.syntax.tree import ancestors, node_at, node_text
from toolbelt.types import Diagnostic

_IN_CLOSURE = re.compile(r"operator can only be used in a closure that returns")


def _collect_of(closure: tree_sitter.Node) -> tree_sitter.Node | None:
    """The `.collect()` call the closure's adapter feeds, up the method chain it is an argument in."""
    up = closure.parent  # arguments
    call = up.parent if up is not None and up.type == "arguments" else None
    while call is not None and call.type == "call_expression":
        f = call.child_by_field_name("function")
        name = f.child_by_field_name("field") if f is not None and f.type == "field_expression" else None
        if f is not None and f.type == "generic_function":
            inner = f.child_by_field_name("function")
            name = inner.child_by_field_name("field") if inner is not None else None
        if name is not None and node_text(name) == "collect":
            return call
        nxt = call.parent
        if nxt is None or nxt.type != "field_expression" or nxt.parent is None:
            return None
        # `.collect::<C>()`: the field sits inside the turbofish's generic_function
        call = nxt.parent.parent if nxt.parent.type == "generic_function" else nxt.parent
    return None


def closure_collects_result(d: Diagnostic, read: Reader) -> list[Candidate]:
    span = _primary(d)
    source = read(span.file_name) if span is not None else None
    if span is None or source is None or not _IN_CLOSURE.search(d.message):
        return []
    at = node_at(source, span.byte_start, span.byte_end)
    closure = next((a for a in (at, *ancestors(at)) if a.type == "closure_expression"), None)
    fn = next((a for a in ancestors(closure) if a.type == "function_item"), None) if closure else None
    ret = fn.child_by_field_name("return_type") if fn is not None else None
    kind = fallible(node_text(ret)) if ret is not None else None
    body = closure.child_by_field_name("body") if closure is not None else None
    ends = tails(body) if body is not None else []  # what the closure yields: a `match`, each arm's value
    call = _collect_of(closure) if closure is not None else None
    if closure is None or kind is None or not ends or call is None:
        return []
    if call.parent is not None and call.parent.type == "try_expression":
        return []
    wrap = "Ok" if kind == "Result" else "Some"
    wrapped = "Result<Vec<_>, _>" if kind == "Result" else "Option<Vec<_>>"
    file = span.file_name
    f = call.child_by_field_name("function")
    edits = [
        e
        for t in ends
        for e in (
            Edit(file=file, start=t.start_byte, end=t.start_byte, replacement=f"{wrap}("),
            Edit(file=file, start=t.end_byte, end=t.end_byte, replacement=")"),
        )
    ]
    if f is not None and f.type == "generic_function":
        args = f.child_by_field_name("type_arguments")
        if args is None or len(args.named_children) != 1:
            return []
        old = args.named_children[0]
        inner = node_text(old)
        wrapped = f"Result<{inner}, _>" if kind == "Result" else f"Option<{inner}>"
        edits.append(Edit(file=file, start=old.start_byte, end=old.end_byte, replacement=wrapped))
    elif f is not None:
        edits.append(Edit(file=file, start=f.end_byte, end=f.end_byte, replacement=f"::<{wrapped}>"))
    else:
        return []
    edits.append(Edit(file=file, start=call.end_byte, end=call.end_byte, replacement="?"))
    edits.sort(key=lambda e: e.start)
    why = (
        f"the closure wraps its value in `{wrap}` and the chain collects into `{wrapped}` with `?`: the first "
        f"failure stops the iteration and the fn's `{kind}` carries it to its caller"
    )
    return [_make(edits, why, "op:closure-collect-result", d.code_str or "E0277", 0.8)]
