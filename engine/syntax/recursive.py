"""Where a recursive field is built: the field that holds its own type, and every expression that
fills it (a tuple variant's or tuple struct's argument, a named field's initializer). Pure.

Boxing the field alone (rustc's help) leaves every construction passing a `T` where a `Box<T>` is now
wanted; the whole fix wraps each of them too.
"""

from __future__ import annotations

from engine.syntax.tree import _range, ancestors, node_at, node_text, parse, preorder
from engine.syntax.types import Base, Range


class FieldSlot(Base, frozen=True):
    """A field of `owner` (a struct, or an enum's variant): by position or by name."""

    owner: str  # the struct or variant name, as construction paths end
    index: int | None  # a tuple field's position
    name: str | None  # a named field
    ty: str  # the field's whole type as written (`Option<Node>` where rustc marks `Node`)


def field_slot(source: bytes, start: int, end: int) -> FieldSlot | None:
    """The field whose type is at bytes [start, end): its owner and its position or name."""
    node = node_at(source, start, end)
    for a in (node, *ancestors(node)):
        if a.type == "field_declaration":
            owner = next((p for p in ancestors(a) if p.type in ("enum_variant", "struct_item")), None)
            name = a.child_by_field_name("name")
            if owner is None or name is None:
                return None
            return FieldSlot(
                owner=node_text(owner.child_by_field_name("name")),
                index=None,
                name=node_text(name),
                ty=node_text(a.child_by_field_name("type")),
            )
        if a.type == "ordered_field_declaration_list":
            types = [c for c in a.named_children if c.type not in ("attribute_item", "visibility_modifier")]
            idx = next((i for i, c in enumerate(types) if c.start_byte <= start < c.end_byte), None)
            owner = a.parent
            if idx is None or owner is None or owner.type not in ("enum_variant", "struct_item"):
                return None
            return FieldSlot(
                owner=node_text(owner.child_by_field_name("name")),
                index=idx,
                name=None,
                ty=node_text(types[idx]),
            )
    return None


def _names_owner(path: str, owner: str) -> bool:
    return path == owner or path.endswith(f"::{owner}")


def fills(source: bytes, slot: FieldSlot) -> list[Range]:
    """Every expression that gives `slot` its value: `Owner(a, b)` arguments at the slot's position,
    `Owner { name: e }` initializers (a shorthand `Owner { name }` is the name itself)."""
    out: list[Range] = []
    for n in preorder(parse(source).root_node):
        if slot.index is not None and n.type == "call_expression":
            if not _names_owner(node_text(n.child_by_field_name("function")), slot.owner):
                continue
            args = [
                c
                for c in (n.child_by_field_name("arguments") or n).named_children
                if c.type != "attribute_item"
            ]
            if slot.index < len(args):
                out.append(_range(args[slot.index]))
        elif slot.name is not None and n.type == "struct_expression":
            if not _names_owner(node_text(n.child_by_field_name("name")), slot.owner):
                continue
            body = n.child_by_field_name("body")
            for f in body.named_children if body is not None else ():
                if f.type == "field_initializer" and node_text(f.child_by_field_name("field")) == slot.name:
                    value = f.child_by_field_name("value")
                    if value is not None:
                        out.append(_range(value))
                elif f.type == "shorthand_field_initializer" and node_text(f) == slot.name:
                    out.append(_range(f))
    return out
