"""The structs of a crate's files as the fuzzer needs them: fields, derives, Debug, Default, `new`.

Pure: (path, bytes) in, StructDef out. Only top-level structs and impls are read; a struct inside an
inline `mod` is not seen (the fuzzer then says it cannot generate the type).
"""

from __future__ import annotations

from engine.syntax.fn_items import impl_parts, method_items
from engine.syntax.tree import parse
from engine.syntax.types import FieldDef, StructDef


def _txt(n) -> str:
    return (n.text or b"").decode("utf-8", "replace") if n is not None else ""


def _public(decl) -> bool:
    vis = next((c for c in decl.children if c.type == "visibility_modifier"), None)
    return vis is not None and _txt(vis).replace(" ", "") in ("pub", "pub(crate)")


def _fields(body) -> tuple[tuple[FieldDef, ...], bool]:
    if body is None:
        return (), False
    if body.type == "field_declaration_list":
        out = []
        for d in body.named_children:
            if d.type == "field_declaration":
                name, ty = d.child_by_field_name("name"), d.child_by_field_name("type")
                out.append(FieldDef(name=_txt(name), type_text=_txt(ty), public=_public(d)))
        return tuple(out), False
    out, public = [], False
    for c in body.named_children:  # ordered_field_declaration_list: [vis] type, [vis] type
        if c.type == "visibility_modifier":
            public = _txt(c).replace(" ", "") in ("pub", "pub(crate)")
        elif c.type != "attribute_item":
            out.append(FieldDef(name="", type_text=_txt(c), public=public))
            public = False
    return tuple(out), True


def _derives(attrs: list) -> set[str]:
    out: set[str] = set()
    for a in attrs:
        t = _txt(a).replace(" ", "")
        if t.startswith("#[derive("):
            out |= {w.split("::")[-1] for w in t[len("#[derive(") : -2].split(",")}
    return out


def struct_defs(path: str, source: bytes) -> list[StructDef]:
    root = parse(source).root_node
    debug: set[str] = set()
    default: set[str] = set()
    news: dict[str, tuple[str, ...]] = {}
    for n in root.named_children:
        if n.type != "impl_item":
            continue
        trait, owner, generic = impl_parts(n)
        last = trait.split("::")[-1]
        if last == "Debug":
            debug.add(owner)
        elif last == "Default":
            default.add(owner)
        elif not trait and not generic:
            for m in method_items(n, owner):
                if m.name == "new" and not m.has_self and not m.generic and m.return_type in ("Self", owner):
                    news[owner] = tuple(t for _, t in m.params)
    out: list[StructDef] = []
    attrs: list = []
    for n in root.named_children:
        if n.type == "attribute_item":
            attrs.append(n)
            continue
        if n.type == "struct_item":
            name = _txt(n.child_by_field_name("name"))
            fields, tup = _fields(n.child_by_field_name("body"))
            derived = _derives(attrs)
            out.append(
                StructDef(
                    name=name,
                    file=path,
                    fields=fields,
                    tuple_struct=tup,
                    generic=n.child_by_field_name("type_parameters") is not None,
                    has_debug="Debug" in derived or name in debug,
                    has_default="Default" in derived or name in default,
                    new_params=news.get(name),
                )
            )
        if n.type not in ("line_comment", "block_comment"):
            attrs = []
    return out
