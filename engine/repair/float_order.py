"""E0277 "the trait bound `f64: Ord` is not satisfied" on an ordering method: floats have only a
partial order (NaN), so `max`, `min`, `sort` and their `_by_key` forms do not take them. Their `_by`
forms do, with `f64::total_cmp` as the order (NaN sorts above every number):

- `.max()` -> `.max_by(|a, b| a.total_cmp(b))` (likewise `min`, `sort`, `sort_unstable`);
- `.max_by_key(|p| p.score)` -> `.max_by(|a, b| a.score.total_cmp(&b.score))`.

rustc lists the integer types that are `Ord` and stops there. Pure; the sandbox checks each edit.
"""

from __future__ import annotations

import re

import tree_sitter

from engine.repair.template_kit import Reader, _make
from engine.repair.types import Candidate, Edit
from engine.syntax.tree import names_in, node_at, preorder
from toolbelt.types import Diagnostic

_FLOAT_ORD = re.compile(r"the trait bound `f(?:32|64): Ord` is not satisfied")
_WRAPPED = re.compile(r"required for `(?!&*f(?:32|64)`)[^`]+` to implement `Ord`")  # a tuple, an Option
_PLAIN = {"max": "max_by", "min": "min_by", "sort": "sort_by", "sort_unstable": "sort_unstable_by"}
_KEYED = {
    "max_by_key": "max_by",
    "min_by_key": "min_by",
    "sort_by_key": "sort_by",
    "sort_unstable_by_key": "sort_unstable_by",
}
_ATOMIC = ("identifier", "field_expression", "call_expression", "index_expression")


def _keyed(closure: tree_sitter.Node, by: str) -> str | None:
    """`max_by(|a, b| KEY(a).total_cmp(&KEY(b)))` from `|p| KEY(p)`, or None for another closure."""
    params = closure.child_by_field_name("parameters")
    body = closure.child_by_field_name("body")
    names = [p for p in (params.named_children if params else []) if p.type == "identifier"]
    if body is None or params is None or len(params.named_children) != 1 or len(names) != 1:
        return None
    param = (names[0].text or b"").decode()
    used = names_in(body)
    pair = next(((x, y) for x, y in (("a", "b"), ("x", "y"), ("l", "r")) if not {x, y} & used), None)
    if pair is None:
        return None
    a, b = pair

    def key(name: str) -> str:
        text = body.text or b""
        out, last = b"", body.start_byte
        for n in preorder(body):
            if n.type == "identifier" and n.text == param.encode():
                out += text[last - body.start_byte : n.start_byte - body.start_byte] + name.encode()
                last = n.end_byte
        out += text[last - body.start_byte :]
        s = out.decode("utf-8", "replace")
        return s if body.type in _ATOMIC else f"({s})"

    return f"{by}(|{a}, {b}| {key(a)}.total_cmp(&{key(b)}))"


def total_order(d: Diagnostic, read: Reader) -> list[Candidate]:
    prim = d.primary
    source = read(prim.file_name) if prim is not None else None
    if prim is None or source is None or not _FLOAT_ORD.search(d.message):
        return []
    if any(_WRAPPED.search(c.message) for c in d.children):
        return []  # the float sits inside a tuple or an Option: `total_cmp` orders one float only
    name = node_at(source, prim.byte_start, prim.byte_end)
    method = (name.text or b"").decode()
    field = name.parent
    call = field.parent if field is not None else None
    if name.type != "field_identifier" or call is None or call.type != "call_expression":
        return []
    args = call.child_by_field_name("arguments")
    if args is None:
        return []
    if method in _PLAIN and not args.named_children:
        text = f"{_PLAIN[method]}(|a, b| a.total_cmp(b))"
    elif (
        method in _KEYED
        and len(args.named_children) == 1
        and args.named_children[0].type == "closure_expression"
    ):
        text = _keyed(args.named_children[0], _KEYED[method])  # type: ignore[assignment]
        if text is None:
            return []
    else:
        return []
    edit = Edit(file=prim.file_name, start=name.start_byte, end=args.end_byte, replacement=text)
    return [_make([edit], "order the floats with `total_cmp`", "total-cmp", d.code_str or "E0277", 0.8)]
