"""Where a moved value goes, and whether a reference could go there instead.

`argument_param_types` answers, for a value passed as an argument at [start, end) of a call
`f(.., x, ..)` or a method call `r.m(.., x, ..)`, the written types of the parameter at that position
in every function of the given files with that name (a method's `self` is skipped). An empty list:
no function of the crate has that name (a std method like `Vec::push`), so the parameter's type is
not known from the source. None: the span is not an argument of a call.

`takes_reference` says whether a written parameter type accepts a `&` (a reference, or an
`impl AsRef<..>` / `impl Borrow<..>`).

Pure: bytes and byte offsets in, strings out. Tree-sitter nodes never leave this module.
"""

from __future__ import annotations

import re

from engine.syntax.tree import node_at, parse, preorder


def _callee_and_index(source: bytes, start: int, end: int) -> tuple[str, bool, int] | None:
    node = node_at(source, start, end)
    while node.parent is not None and node.parent.type == "reference_expression":
        node = node.parent
    args = node.parent
    if args is None or args.type != "arguments":
        return None
    call = args.parent
    if call is None or call.type != "call_expression":
        return None
    index = next((i for i, a in enumerate(args.named_children) if a.id == node.id), None)
    fn = call.child_by_field_name("function")
    if index is None or fn is None:
        return None
    if fn.type == "field_expression":
        name = fn.child_by_field_name("field")
        return ((name.text or b"").decode(), True, index) if name is not None else None
    if fn.type in ("identifier", "scoped_identifier"):
        return ((fn.text or b"").decode().rsplit("::", 1)[-1], False, index)
    return None


def argument_param_types(source: bytes, start: int, end: int, files: list[bytes]) -> list[str] | None:
    found = _callee_and_index(source, start, end)
    if found is None:
        return None
    name, method, index = found
    out: list[str] = []
    for f in files:
        for n in preorder(parse(f).root_node):
            if n.type != "function_item":
                continue
            ident = n.child_by_field_name("name")
            params = n.child_by_field_name("parameters")
            if ident is None or params is None or (ident.text or b"").decode() != name:
                continue
            plist = [p for p in params.named_children if p.type in ("parameter", "self_parameter")]
            has_self = bool(plist) and plist[0].type == "self_parameter"
            if method != has_self:
                continue
            plist = plist[1:] if has_self else plist
            if index < len(plist):
                typ = plist[index].child_by_field_name("type")
                out.append((typ.text or b"").decode() if typ is not None else "")
    return out


_TAKES_REF = re.compile(r"^\s*(?:&|impl\s+(?:\w+::)*(?:AsRef|Borrow)\s*<)")


def takes_reference(param_type: str) -> bool:
    return _TAKES_REF.match(param_type) is not None
