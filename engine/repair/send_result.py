"""A spawned closure whose result is not `Send`: make the boxed error it returns `Send + Sync`. Pure.

`thread::spawn` asks `F: Send` of the closure and `T: Send` of the `T` it returns, which goes back
to the joining thread through `JoinHandle<T>`. rustc's notes say which one fails: a chain of
"required because it appears within the type `..`" that ends at a type that is not the closure
(a capture goes through `{closure@..}` or "used within this closure"), under "required by a bound
in `spawn`". The usual culprit is `Box<dyn Error>`, the error type of `?`-style code, which is not
`Send`: the general mistake is telling the user that a captured value crosses and offering no edit.
The fix writes `dyn Error + Send + Sync` in the return type of the fn the closure returns from,
and, as a second candidate, also in the return type of the fn that spawns when it holds the same
`Box<dyn Error>` (its `?` on the joined result cannot turn the `Send` box back into a plain one).
The sandbox says which compiles.
"""

from __future__ import annotations

import re

import tree_sitter

from engine.edits import Edit
from engine.repair.template_kit import Reader, _make
from engine.repair.types import Candidate
from engine.syntax.returned_tails import tails
from engine.syntax.tree import ancestors, node_at, node_text, parse, preorder
from toolbelt.diagnostics import texts
from toolbelt.types import Diagnostic

_NOT_SEND = re.compile(r"the trait `(?:std::marker::|core::marker::)?Send` is not implemented for `([^`]+)`")
_WITHIN = re.compile(r"required because it appears within the type `([^`]+)`")
_SPAWN_BOUND = re.compile(r"required by a bound in `(?:[\w:]+::)?spawn(?:_scoped)?`")
_CLOSURE = re.compile(r"\{closure|within this closure|captured value|has type `")
# a trait object of an `Error` trait with no `Send` bound yet: `dyn Error`, `dyn std::error::Error`
_DYN_ERROR = re.compile(r"\bdyn\s+(?:[\w:]+::)?Error\b(?!\s*\+\s*Send)")


def returned_across(d: Diagnostic) -> str | None:
    """The type of the value a spawned closure returns, when rustc's notes show it is what lacks
    `Send` (the chain of types ends at it with no closure in between, under `spawn`'s bound);
    None when the chain goes through the closure (a capture) or the bound is not `spawn`'s."""
    said = list(texts(d))
    lacking = next((m.group(1) for t in said if (m := _NOT_SEND.search(t))), None)
    if lacking is None or not any(_SPAWN_BOUND.search(t) for t in said):
        return None
    if any(_CLOSURE.search(t) for t in said):
        return None
    within = [m.group(1) for t in said for m in _WITHIN.finditer(t)]
    return within[-1] if within else lacking


def _fn_named(root: tree_sitter.Node, name: str) -> tree_sitter.Node | None:
    return next(
        (
            n
            for n in preorder(root)
            if n.type == "function_item" and node_text(n.child_by_field_name("name")) == name
        ),
        None,
    )


def _send_edits(file: str, fn: tree_sitter.Node) -> list[Edit]:
    ret = fn.child_by_field_name("return_type")
    if ret is None:
        return []
    text = node_text(ret)
    return [
        Edit(
            file=file,
            start=ret.start_byte + m.end(),
            end=ret.start_byte + m.end(),
            replacement=" + Send + Sync",
        )
        for m in _DYN_ERROR.finditer(text)
    ]


def send_error_result(d: Diagnostic, read: Reader) -> list[Candidate]:
    """`Box<dyn Error + Send + Sync>` in the return type of the fn a spawned closure returns from
    (and of the spawning fn, as a second candidate), when rustc's notes show the result is what is
    not `Send`."""
    span = d.primary
    result = returned_across(d)
    source = read(span.file_name) if span is not None and result is not None else None
    if span is None or source is None or result is None or not _DYN_ERROR.search(result):
        return []
    at = node_at(source, span.byte_start, span.byte_end)
    call = next((a for a in (at, *ancestors(at)) if a.type == "call_expression"), None)
    args = call.child_by_field_name("arguments") if call is not None else None
    closure = next((c for c in (args.named_children if args else []) if c.type == "closure_expression"), None)
    body = closure.child_by_field_name("body") if closure is not None else None
    if body is None:
        return []
    root = parse(source).root_node
    edits: list[Edit] = []
    for t in tails(body):
        callee = t.child_by_field_name("function") if t.type == "call_expression" else None
        fn = (
            _fn_named(root, node_text(callee)) if callee is not None and callee.type == "identifier" else None
        )
        edits += _send_edits(span.file_name, fn) if fn is not None else []
    if not edits:
        return []
    why = "make the closure's boxed error `Send + Sync`, so its result may go back to the joining thread"
    out = [
        _make(edits, f"{why} (only that fn's signature changes)", "op:send-error", d.code_str or "E0277", 0.8)
    ]
    spawner = next((a for a in ancestors(at) if a.type == "function_item"), None)
    outer = _send_edits(span.file_name, spawner) if spawner is not None else []
    if outer and spawner is not None:
        name = node_text(spawner.child_by_field_name("name"))
        out.append(
            _make(
                edits + outer,
                f"{why}, and in `{name}`'s return type, which changes what `{name}` returns to its callers:"
                " `?` does not turn a `Box<dyn Error + Send + Sync>` back into a `Box<dyn Error>`",
                "op:send-error",
                d.code_str or "E0277",
                0.82,
            )
        )
    return out
