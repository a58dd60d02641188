"""Whether an `as` cast can lose a value, decided from the types the syntax shows. Pure.

The source type is known when the operand is an integer literal (its value, too) or a name bound with
an annotation (`let n: i64`, a parameter); then Rusta says "truncates" or "changes sign" as a fact.
Otherwise the operand's type is not in the text, and she says "may".
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from engine.syntax.tree import binding_of, node_at

if TYPE_CHECKING:
    import tree_sitter

# (bits, signed); usize/isize taken as 64-bit, the targets Rusta runs on.
INTS: dict[str, tuple[int, bool]] = {
    "u8": (8, False),
    "u16": (16, False),
    "u32": (32, False),
    "u64": (64, False),
    "u128": (128, False),
    "usize": (64, False),
    "i8": (8, True),
    "i16": (16, True),
    "i32": (32, True),
    "i64": (64, True),
    "i128": (128, True),
    "isize": (64, True),
}
FLOATS = ("f32", "f64")


def int_range(ty: str) -> tuple[int, int]:
    bits, signed = INTS[ty]
    return (-(1 << (bits - 1)), (1 << (bits - 1)) - 1) if signed else (0, (1 << bits) - 1)


def literal_value(text: str) -> tuple[int, str | None] | None:
    """(value, suffix type) of an integer literal's text; None when it is not one."""
    t = text.replace("_", "")
    suffix = next((s for s in sorted(INTS, key=len, reverse=True) if t.endswith(s)), None)
    if suffix:  # `u` and `i` are no hex digits, so a suffix is never part of the number
        t = t[: -len(suffix)]
    try:
        return int(t, 0), suffix
    except ValueError:
        return None


def wrapped(value: int, ty: str) -> int:
    """What `value as ty` yields: the low bits, read signed or not."""
    bits, signed = INTS[ty]
    v = value & ((1 << bits) - 1)
    return v - (1 << bits) if signed and v >= 1 << (bits - 1) else v


def verdict_for_types(src: str, dst: str) -> str | None:
    """ "truncate", "change sign", "truncate or change sign", or None when every value fits."""
    if src in FLOATS:
        return "truncate"
    if src not in INTS:
        return None
    lo, hi = int_range(src)
    dlo, dhi = int_range(dst)
    if dlo <= lo and hi <= dhi:
        return None
    narrower = INTS[dst][0] < INTS[src][0] or (INTS[dst][0] == INTS[src][0] and INTS[src][1] is False)
    sign = INTS[src][1] != INTS[dst][1]
    if narrower and sign and INTS[dst][0] < INTS[src][0]:
        return "truncate or change sign"
    if INTS[dst][0] < INTS[src][0]:
        return "truncate"
    return "change sign" if sign else None


def cast_message(source: bytes, operand: str, operand_kind: str, at: int, dst: str) -> str | None:
    """Rusta's sentence for `operand as dst`, or None when the cast cannot lose anything."""
    if dst not in INTS:
        return None
    negate = operand_kind == "unary_expression" and operand.startswith("-")
    lit = literal_value(operand[1:].strip() if negate else operand)
    if operand_kind in ("integer_literal", "unary_expression") and lit is not None:
        value = -lit[0] if negate else lit[0]
        lo, hi = int_range(dst)
        if lo <= value <= hi:
            return None
        bits, signed = INTS[dst]
        other_lo, other_hi = (0, (1 << bits) - 1) if signed else (-(1 << (bits - 1)), (1 << (bits - 1)) - 1)
        how = "changes sign" if other_lo <= value <= other_hi else "truncates"
        return f"`{operand} as {dst}` {how}: {value} does not fit in `{dst}` ({lo}..={hi}); it becomes {wrapped(value, dst)}."
    if operand_kind == "float_literal":
        return f"`{operand} as {dst}` drops the fraction: `{dst}` holds whole numbers only."
    src = None
    if operand_kind == "identifier":
        b = binding_of(source, operand, at)
        src = b.type_text.strip() if b is not None and b.type_text else None
        if b is not None and src is None and b.kind == "let":
            src = _initializer_type(source, b.range.start, b.range.end)
    if src is not None and (src in INTS or src in FLOATS):
        v = verdict_for_types(src, dst)
        if v is None:
            return None
        if src in FLOATS:
            return f"`{operand} as {dst}` can truncate: `{operand}` is `{src}`, so the fraction is dropped and values out of range saturate."
        lo, hi = int_range(dst)
        return f"`{operand} as {dst}` can {v}: `{operand}` is `{src}`, and `{dst}` holds {lo}..={hi}."
    if src is not None:
        return None  # a type the syntax shows that is not a number (a char, an enum): not this rule
    return (
        f"`{operand} as {dst}` may truncate or change sign: the syntax does not show the type of `{operand}`."
    )


def _initializer_type(source: bytes, start: int, end: int) -> str | None:
    """The type a `let` without annotation shows in its value: `x as T`, or a suffixed literal."""
    n: tree_sitter.Node | None = node_at(source, start, end)
    while n is not None and n.type != "let_declaration":
        n = n.parent
    value = n.child_by_field_name("value") if n is not None else None
    if value is None:
        return None
    if value.type == "type_cast_expression":
        ty = value.child_by_field_name("type")
        return (ty.text or b"").decode() if ty is not None else None
    if value.type == "integer_literal":
        lit = literal_value((value.text or b"").decode())
        return lit[1] if lit is not None else None
    return None
