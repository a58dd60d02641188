"""E0308 where the found type is written in the expression itself: change what was written there.

The general mistake: an expression whose type its author fixed explicitly, with a turbofish on its
outermost call (`.sum::<u32>()`, `.parse::<i64>()`, `.collect::<Vec<_>>()`) or an outermost `as`
cast (`n as u32`), used where another type is expected (a `-> usize` return, a typed `let`). rustc
points at the expression and, through "expected ... because of return type", at the declaration;
but the declaration is right and changing it often cannot compile (`u32: Sum<usize>` does not
hold). The found type is the one written inside the expression, so that is the place to change:
the turbofish or the cast gets the expected type. Read from the syntax tree at rustc's span and the
expected/found types rustc states; the sandbox decides whether it compiles.

A cast is also offered deleted (`total as usize` -> `total`): where the operand already has the
expected type, the cast was the mistake, and retargeting it writes a no-op `total as u32`. Numbers
never coerce, so the deletion compiles only where the operand's own type (or a literal's inferred
one) is the expected type; the sandbox is that check. No template wraps such a cast in another one
(`(total as usize) as u32`): `engine.repair.sites.wraps_cast` tells them it is there.
"""

from __future__ import annotations

import re

from engine.facts.parse import facts_of
from engine.repair.numeric import NUMERIC
from engine.repair.sites import outer_cast
from engine.repair.template_kit import Reader, _make
from engine.repair.types import Candidate, Edit
from engine.syntax.tree import node_at, node_text
from toolbelt.types import Diagnostic

_TYPE = re.compile(r"[\w:<>, &']+")


def _written_type(expr) -> tuple[int, int] | None:  # expr: tree_sitter.Node -> the type's byte range
    """Bytes of the type written on the expression's outermost step: the one turbofish argument of
    its outermost call, or its outermost `as` cast's type; None when it has neither."""
    while expr.type in ("parenthesized_expression", "reference_expression") and expr.named_child_count:
        if expr.type == "reference_expression":
            return None  # `&x.sum::<u32>()` is a reference: its type is not the turbofish's
        expr = expr.named_children[0]
    if expr.type == "type_cast_expression":
        t = expr.child_by_field_name("type")
        return (t.start_byte, t.end_byte) if t is not None else None
    if expr.type != "call_expression":
        return None
    fn = expr.child_by_field_name("function")
    if fn is None or fn.type != "generic_function":
        return None
    args = fn.child_by_field_name("type_arguments")
    named = [c for c in (args.named_children if args is not None else []) if c.type != "line_comment"]
    if len(named) != 1:
        return None
    return named[0].start_byte, named[0].end_byte


def _written_found(d: Diagnostic, read: Reader):  # -> (expr node, (start, end), written text) | None
    """The expression at rustc's span and the bytes of the type written on its outermost step, when
    that type is exactly the found type rustc states; None otherwise."""
    f = facts_of(d)
    span = d.primary
    if span is None or not f.expected or not f.found or f.expected == f.found:
        return None
    source = read(span.file_name)
    if source is None:
        return None
    expr = node_at(source, span.byte_start, span.byte_end)
    if (expr.start_byte, expr.end_byte) != (span.byte_start, span.byte_end):
        return None
    at = _written_type(expr)
    if at is None:
        return None
    written = source[at[0] : at[1]].decode("utf-8", "replace")
    if written.replace(" ", "") != f.found.replace(" ", ""):
        return None
    return expr, at, written


def found_type_written(d: Diagnostic, read: Reader) -> bool:
    """Whether the found type of an E0308 is written in the expression itself (a turbofish or an
    `as` on its outermost step): then that is what to change, and "change the declaration" is a
    claim no fact supports."""
    return (d.code_str or "") == "E0308" and _written_found(d, read) is not None


def written_type_place(d: Diagnostic, read: Reader) -> tuple[str, int, int] | None:
    """(file, start, end) of the written type that fixes an E0308's found type, or None."""
    got = _written_found(d, read) if (d.code_str or "") == "E0308" and d.primary is not None else None
    return (d.primary.file_name, got[1][0], got[1][1]) if got is not None and d.primary is not None else None


def written_type_at_expression(d: Diagnostic, read: Reader) -> list[Candidate]:
    """E0308: the turbofish or `as` type on the outermost step of the expression rustc points at,
    when it is exactly the found type, replaced by the expected type."""
    f = facts_of(d)
    got = _written_found(d, read)
    if got is None or d.primary is None or not f.expected:
        return []
    if not _TYPE.fullmatch(f.expected) or f.expected.startswith("&"):
        return []
    expr, at, written = got
    what = "cast" if expr.type == "type_cast_expression" else "turbofish"
    edit = Edit(file=d.primary.file_name, start=at[0], end=at[1], replacement=f.expected)
    desc = f"write `{f.expected}` in the {what} that fixes the type to `{written}`"
    out = [_make([edit], desc, "written-type", d.code_str or "E0308", 0.8)]
    cast, value = outer_cast(expr), None
    if cast is not None:
        value = cast.child_by_field_name("value")
    if cast is not None and value is not None and {f.expected, f.found} <= NUMERIC:
        # the cast node itself is replaced: its operand binds at least as tightly as `as` does
        keep = node_text(value)
        drop = Edit(file=d.primary.file_name, start=cast.start_byte, end=cast.end_byte, replacement=keep)
        desc = (
            f"drop the cast `as {written}`, so `{keep}` keeps its own type: numbers never convert "
            f"on their own, so this compiles only where that type is `{f.expected}`"
        )
        out.insert(0, _make([drop], desc, "written-type", d.code_str or "E0308", 0.85))
    return out
