"""Indexing a crate type that has no `Index` impl (E0608: `m[i][j]`, `self[(i, k)]`) where the type
already has an accessor that takes those indices (`fn get(&self, r: usize, c: usize)`).

rustc says only that the value cannot be indexed. The way the code's own author reads an element is
usually written a few lines above: an inherent method with `&self` and one parameter per index. The
index expression becomes that call (`m.get(i, j)`), one candidate per such method; writing an
`Index` impl is the other way out, and it stays words. Pure over the crate's files.
"""

from __future__ import annotations

import re

from engine.repair.containers import split_top
from engine.repair.template_kit import Reader, _make
from engine.repair.types import Candidate, Edit
from engine.syntax.tree import node_at, parse, preorder
from toolbelt.types import Diagnostic

FAMILY = "index-by-method"
_TYPE = re.compile(r"cannot index into a value of type `(?:&(?:mut )?)*(?P<name>\w+)(?:<.*>)?`")


def _text(node) -> str:  # noqa: ANN001 - a tree_sitter.Node
    return (node.text or b"").decode("utf-8", "replace") if node is not None else ""


def accessors(sources: list[bytes], type_name: str, arity: int) -> list[str]:
    """Inherent methods of `type_name` taking `&self` and `arity` more parameters, in source order."""
    out: list[str] = []
    for source in sources:
        for n in preorder(parse(source).root_node):
            if n.type != "impl_item" or n.child_by_field_name("trait") is not None:
                continue
            if _text(n.child_by_field_name("type")).split("<")[0].strip() != type_name:
                continue
            body = n.child_by_field_name("body")
            for f in body.named_children if body is not None else ():
                params = f.child_by_field_name("parameters") if f.type == "function_item" else None
                kids = params.named_children if params is not None else []
                if (
                    kids
                    and kids[0].type == "self_parameter"
                    and _text(kids[0]).strip() == "&self"
                    and len(kids) == arity + 1
                ):
                    out.append(_text(f.child_by_field_name("name")))
    return out


def _indexing(source: bytes, start: int, end: int) -> tuple[int, int, str, list[str]] | None:
    """The whole index expression around rustc's span: its range, the indexed value and the indices."""
    node = node_at(source, start, end)
    if node.type != "index_expression":
        return None
    while (
        node.parent is not None
        and node.parent.type == "index_expression"
        and node.parent.named_children[0] == node
    ):
        node = node.parent
    indices: list[str] = []
    base = node
    while base.type == "index_expression":
        value, index = base.named_children[0], base.named_children[-1]
        indices.insert(0, _text(index))
        base = value
    if len(indices) == 1 and indices[0].startswith("(") and indices[0].endswith(")"):
        indices = split_top(indices[0][1:-1])
    return node.start_byte, node.end_byte, _text(base), indices


def index_by_method(d: Diagnostic, read: Reader, crate_files: tuple[str, ...]) -> list[Candidate]:
    m, prim = _TYPE.search(d.message), d.primary
    source = read(prim.file_name) if prim is not None else None
    if m is None or prim is None or source is None:
        return []
    found = _indexing(source, prim.byte_start, prim.byte_end)
    if found is None:
        return []
    start, end, base, indices = found
    sources = [data for f in crate_files if (data := read(f)) is not None]
    out = []
    for name in accessors(sources, m["name"], len(indices))[:2]:
        call = f"{base}.{name}({', '.join(indices)})"
        edit = Edit(file=prim.file_name, start=start, end=end, replacement=call)
        out.append(
            _make(
                [edit], f"read it with the type's own `{name}`: `{call}`", FAMILY, d.code_str or "E0608", 0.8
            )
        )
    return out
