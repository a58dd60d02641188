"""A trait method missing from an impl (E0046) whose body the signature and the type's fields make
plain: a setter writes its argument into the field it names, a getter returns the field it names.

rustc's own suggestion is `fn calibrate(&mut self, _: f64) { todo!() }`: it compiles, and panics
the first time anything calls it. Where the trait's declaration (rustc's "`calibrate` from trait"
span) and the implementing struct's fields line up, the body is written out instead:

- `fn set_x(&mut self, v: T)` or `fn f(&mut self, x: T)` with a field `x: T`: `self.x = v;`
- `fn x(&self) -> T` or `fn get_x(&self) -> T` with a field `x: T`: `self.x` (`&self.x` for `-> &T`).

The parameters keep the trait's names. Anything else keeps rustc's `todo!()`. The sandbox says
whether the body compiles (a getter of a field that is not `Copy` does not). Pure over the crate.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from engine.repair.template_kit import Reader, _make
from engine.repair.types import Candidate, Edit
from engine.syntax.tree import node_at, parse, preorder
from toolbelt.types import Diagnostic

if TYPE_CHECKING:
    import tree_sitter

FAMILY = "trait-item-body"
_FROM_TRAIT = re.compile(r"^`(?P<name>\w+)` from trait$")


def _text(node) -> str:  # noqa: ANN001 - a tree_sitter.Node
    return (node.text or b"").decode("utf-8", "replace") if node is not None else ""


def _norm(ty: str) -> str:
    return re.sub(r"\s+", "", ty)


def struct_fields(sources: list[bytes], name: str) -> dict[str, str]:
    """The named fields of the struct `name` with their written types, from the crate's files."""
    for source in sources:
        for n in preorder(parse(source).root_node):
            if n.type == "struct_item" and _text(n.child_by_field_name("name")) == name:
                body = n.child_by_field_name("body")
                if body is None or body.type != "field_declaration_list":
                    return {}
                return {
                    _text(f.child_by_field_name("name")): _text(f.child_by_field_name("type"))
                    for f in body.named_children
                    if f.type == "field_declaration"
                }
    return {}


def derived_body(sig, fields: dict[str, str]) -> tuple[str, str] | None:  # noqa: ANN001
    """(body, what it does) for a trait method signature node, or None when nothing is plain."""
    name = _text(sig.child_by_field_name("name"))
    params = sig.child_by_field_name("parameters")
    kids = params.named_children if params is not None else []
    if not kids or kids[0].type != "self_parameter":
        return None
    receiver, rest = _norm(_text(kids[0])), kids[1:]
    ret = _norm(_text(sig.child_by_field_name("return_type")))
    if receiver == "&mutself" and len(rest) == 1 and rest[0].type == "parameter" and not ret:
        arg = _text(rest[0].child_by_field_name("pattern"))
        ty = _norm(_text(rest[0].child_by_field_name("type")))
        field = name[4:] if name.startswith("set_") and name[4:] in fields else arg
        if field in fields and _norm(fields[field]) == ty and re.fullmatch(r"\w+", arg):
            what = f"store `{arg}` in `self.{field}`"
            if not name.startswith("set_"):  # the name does not say "replace"
                what += f", replacing it (a `{name}` meant to adjust the field needs `+=`)"
            return f"self.{field} = {arg};", what
    if receiver == "&self" and not rest and ret:
        field = name[4:] if name.startswith("get_") else name
        if field not in fields:
            return None
        if _norm(fields[field]) == ret:
            return f"self.{field}", f"return `self.{field}`"
        if ret == "&" + _norm(fields[field]):
            return f"&self.{field}", f"return `&self.{field}`"
    return None


def body_from_fields(d: Diagnostic, read: Reader, crate_files: tuple[str, ...]) -> list[Candidate]:
    prim = d.primary
    source = read(prim.file_name) if prim is not None else None
    if prim is None or source is None:
        return []
    impl: tree_sitter.Node | None = node_at(source, prim.byte_start, prim.byte_end)
    while impl is not None and impl.type != "impl_item":
        impl = impl.parent
    body = impl.child_by_field_name("body") if impl is not None else None
    if impl is None or body is None:
        return []
    type_name = _text(impl.child_by_field_name("type")).split("<")[0]
    sources = [text for f in crate_files if (text := read(f)) is not None] or [source]
    fields = struct_fields(sources, type_name)
    out: list[Candidate] = []
    for s in (s for c in (d, *d.children) for s in c.spans):
        m = _FROM_TRAIT.match(s.label or "")
        decl_source = read(s.file_name) if m else None
        if m is None or decl_source is None:
            continue
        sig = node_at(decl_source, s.byte_start, s.byte_end)
        if sig.type != "function_signature_item" or _text(sig.child_by_field_name("name")) != m["name"]:
            continue
        found = derived_body(sig, fields)
        if found is None:
            continue
        code, what = found
        line = source.rfind(b"\n", 0, prim.byte_start) + 1
        indent = source[line : prim.byte_start].decode("utf-8", "replace")
        head = _text(sig).rstrip(";").rstrip()
        method = f"{indent}    {head} {{\n{indent}        {code}\n{indent}    }}\n"
        close = body.end_byte - 1  # the impl's `}`
        start = source.rfind(b"\n", 0, close) + 1
        if source[start:close].strip():  # `impl S for T {}` on one line
            edit = Edit(file=prim.file_name, start=close, end=close, replacement="\n" + method + indent)
        else:
            edit = Edit(file=prim.file_name, start=start, end=start, replacement=method)
        out.append(_make([edit], f"write `{m['name']}` from the fields: {what}", FAMILY, "E0046", 0.72))
    return out
