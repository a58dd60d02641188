"""Sites: the expressions the edit grammar's operators attach to, as the syntax tree sees them.

An operator wraps a whole expression or nothing, with parentheses where precedence needs them, and
a type is no value; that is a question for the tree, asked once here for every operator family.
Pure: bytes and places in, edits out.
"""

from __future__ import annotations

import re

from engine.edits import Edit
from engine.facts.types import Place
from engine.repair.idioms import owning_idiom
from engine.repair.template_kit import Reader
from engine.syntax.tree import node_at, shape

# Node kinds a postfix (`.m()`, `?`, `as T`) or prefix (`&`, `*`) attaches to without parentheses.
ATOMIC = frozenset(
    {
        "identifier",
        "self",
        "field_expression",
        "call_expression",
        "index_expression",
        "macro_invocation",
        "parenthesized_expression",
        "scoped_identifier",
        "integer_literal",
        "float_literal",
        "string_literal",
        "char_literal",
        "boolean_literal",
        "try_expression",
        "await_expression",
        "tuple_expression",
        "array_expression",
        "struct_expression",
        "generic_function",
    }
)


def outer_cast(expr):  # tree_sitter.Node -> the outermost `as` cast node, parentheses skipped, or None
    while expr.type == "parenthesized_expression" and expr.named_child_count:
        expr = expr.named_children[0]
    return expr if expr.type == "type_cast_expression" else None


def wraps_cast(source: bytes, start: int, end: int) -> bool:
    """Whether the expression at [start, end) is an `as` cast (in parentheses or not). A conversion
    wrapped around it writes a round trip `(e as A) as B`: the fix is to retarget or delete the
    cast already written (`engine.repair.turbofish`), never to add a second one."""
    expr = node_at(source, start, end)
    return (expr.start_byte, expr.end_byte) == (start, end) and outer_cast(expr) is not None


def is_type(kind: str) -> bool:
    return kind.endswith("_type") or kind in (
        "type_identifier",
        "primitive_type",
        "type_arguments",
        "lifetime",
    )


class Site:
    """One expression in the user's file, with what the syntax tree says about it."""

    def __init__(self, place: Place, source: bytes) -> None:
        self.place = place
        self.text = source[place.start : place.end].decode("utf-8", "replace")
        self.shape = shape(source, place.start, place.end)
        # An operator wraps a whole expression or nothing: `cfg.&(into_summary())` is what wrapping
        # the method-call part of `cfg.into_summary()` gives, and a type (`-> f64`) is no value.
        self.expression = self.shape.text == self.text and not is_type(self.shape.kind)
        self.atomic = self.expression and self.shape.kind in ATOMIC
        self.cast = self.expression and wraps_cast(source, place.start, place.end)

    def insert(self, at_end: bool, text: str) -> Edit:
        pos = self.place.end if at_end else self.place.start
        return Edit(file=self.place.file, start=pos, end=pos, replacement=text)

    def replace(self, text: str) -> Edit:
        return Edit(file=self.place.file, start=self.place.start, end=self.place.end, replacement=text)

    def postfix(self, suffix: str) -> list[Edit]:
        tidy = owning_idiom(self.text, suffix) if self.expression else None
        if tidy is not None:
            return [self.replace(tidy)]
        if self.atomic:
            return [self.insert(True, suffix)]
        return [self.replace(f"({self.text}){suffix}")]

    def prefix(self, pre: str) -> list[Edit]:
        if self.atomic or self.shape.kind in ("unary_expression", "reference_expression"):
            return [self.insert(False, pre)]
        return [self.replace(f"{pre}({self.text})")]

    def wrap(self, head: str) -> list[Edit]:
        return [self.insert(False, f"{head}("), self.insert(True, ")")]


Op = tuple[list[Edit], str, str, float]  # edits, description, family, prior


def site_at(place: Place | None, read: Reader) -> tuple[Site, bytes] | None:
    if place is None or place.end <= place.start:
        return None
    source = read(place.file)
    if source is None or place.end > len(source):
        return None
    return Site(place, source), source


def receiver_of(place: Place, read: Reader) -> Site | None:
    """`cfg` in `cfg.into_summary()`, given rustc's span of the method call part `into_summary()`."""
    source = read(place.file)
    if source is None:
        return None
    head = source[max(0, place.start - 128) : place.start]
    m = re.search(rb"([A-Za-z_][\w.]*?)\s*\.\s*$", head)
    if m is None:
        return None
    start = place.start - len(head) + m.start(1)
    where = Place(
        file=place.file, start=start, end=start + len(m.group(1)), line=place.line, column=place.column
    )
    site = Site(where, source)
    return site if site.expression else None
