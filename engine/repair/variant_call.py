"""E0618 where a unit variant is called: the variant of the same enum that takes that many fields.

    ChecksumType::None(RollingAdler32::new())  ->  ChecksumType::Adler32(RollingAdler32::new())

A wrong variant name, written where another was meant. rustc says "expected function, found
`ChecksumType`" and labels the declaration of the variant that was written (`ChecksumType::None`
defined here). Only a tuple variant can be called, so the meant one is among the enum's tuple
variants with as many fields as the call has arguments; each is a candidate, the nearest name first,
and cargo decides which one the arguments' types fit. Pure.
"""

from __future__ import annotations

from difflib import SequenceMatcher

from engine.repair.template_kit import Reader, _make
from engine.repair.types import Candidate, Edit
from engine.syntax.tree import ancestors, node_at, node_text
from toolbelt.types import Diagnostic

FAMILY = "variant-for-call"
_NOT_FIELDS = ("attribute_item", "visibility_modifier", "line_comment", "block_comment")


def _tuple_variants(source: bytes, at: int) -> list[tuple[str, int]]:
    """(name, number of fields) of each tuple variant of the enum declared around byte `at`."""
    enum = next((a for a in ancestors(node_at(source, at, at + 1)) if a.type == "enum_item"), None)
    body = enum.child_by_field_name("body") if enum is not None else None
    out = []
    for v in body.named_children if body is not None else ():
        fields = v.child_by_field_name("body") if v.type == "enum_variant" else None
        if fields is not None and fields.type == "ordered_field_declaration_list":
            n = sum(c.type not in _NOT_FIELDS for c in fields.named_children)
            out.append((node_text(v.child_by_field_name("name")), n))
    return out


def called_unit_variant(d: Diagnostic, read: Reader) -> list[Candidate]:
    p = d.primary
    decl = next((s for s in d.spans if not s.is_primary and (s.label or "").endswith("defined here")), None)
    src = read(p.file_name) if p is not None else None
    decl_src = read(decl.file_name) if decl is not None else None
    if p is None or decl is None or src is None or decl_src is None:
        return []
    callee = node_at(src, p.byte_start, p.byte_end)
    call = callee.parent
    if callee.type != "scoped_identifier" or call is None or call.type != "call_expression":
        return []
    name, args = callee.child_by_field_name("name"), call.child_by_field_name("arguments")
    if name is None or args is None:
        return []
    written = node_text(name)
    arity = sum(c.type not in _NOT_FIELDS for c in args.named_children)
    fits = [v for v, n in _tuple_variants(decl_src, decl.byte_start) if n == arity and v != written]
    fits.sort(key=lambda v: -SequenceMatcher(None, v.lower(), written.lower()).ratio())
    return [
        _make(
            [Edit(file=p.file_name, start=name.start_byte, end=name.end_byte, replacement=v)],
            f"call the tuple variant `{v}`: `{written}` takes no fields",
            FAMILY,
            "E0618",
            0.6,
        )
        for v in fits
    ]
