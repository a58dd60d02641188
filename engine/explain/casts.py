"""What an `as` cast a fix writes can do to a value, read from the types rustc named. Pure.

The general mistake this module answers: a fix that narrows with `as` (`start as u32` on a `u64`,
`cap as u32` on a `usize`) is shown with no word on the values it cuts, because the type it casts
from was only read from rustc's "found" type. A binary operator's E0277 ("cannot subtract `u64`
from `u32`") names both operands' types instead, and a fix finished in steps keeps the cast its
first step wrote: both still say the hazard.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable

from engine.edits import Edit, diff_side
from engine.syntax import quotients
from engine.syntax.tree import ancestors, node_at, node_text
from toolbelt.types import Diagnostic

_BITS = {"8": 8, "16": 16, "32": 32, "64": 64, "128": 128, "size": 64}  # usize/isize: a 64-bit target
_MANTISSA = {"f32": 24, "f64": 53}
_AS = re.compile(r"\bas\s+([iuf](?:8|16|32|64|128|size))\b")


def cast_cost(source: str | None, target: str) -> str:
    """What `as {target}` does to a `{source}` value that does not fit, from the two types' widths
    and signedness alone; "" when the cast is lossless or a type is not a primitive number.

    The mistake this avoids: calling every unsigned-to-signed cast a wrap to a negative value. Only a
    cast between types of one width just reinterprets the sign; a narrowing `as` keeps the low bits,
    so `(1usize << 32) as i32 == 0` and `((1usize << 32) + 5) as i32 == 5`."""
    src, dst = (source or "").strip(), target.strip()
    if (
        src == dst
        or src[:1] not in "iuf"
        or dst[:1] not in "iuf"
        or (src[1:] not in _BITS and src not in _MANTISSA)
    ):
        return ""
    if src in _MANTISSA:
        if dst in _MANTISSA:
            return (
                "" if dst == "f64" else "a `f64` loses precision as a `f32`, and large values become infinite"
            )
        return f"drops the fraction, and a value outside `{dst}`'s range saturates (NaN becomes 0)"
    bits = _BITS.get(src[1:], 0)
    if dst in _MANTISSA:
        return f"a `{src}` beyond 2^{_MANTISSA[dst]} loses precision" if bits > _MANTISSA[dst] else ""
    dbits = _BITS.get(dst[1:], 0)
    if dbits < bits:  # `as` keeps the low bits: no wrap of the sign alone, any high bit is lost
        what = (
            f"a `{src}` above `{dst}::MAX`"
            if src[0] == "u"
            else f"a negative `{src}`, or one above `{dst}::MAX`,"
            if dst[0] == "u"
            else f"a `{src}` outside `{dst}`'s range"
        )
        turn = "may turn negative or zero" if dst[0] == "i" else "may turn zero"
        return f"keeps the low {dbits} bits: {what} changes, and {turn}"
    if src[0] == "i" and dst[0] == "u":  # as wide or wider: the sign is extended, then read unsigned
        return f"a negative `{src}` wraps to a huge `{dst}`"
    if src[0] == "u" and dst[0] == "i" and dbits == bits:  # same bits, read signed
        return f"a `{src}` above `{dst}::MAX` wraps to a negative `{dst}`"
    return ""


_CAST = re.compile(r"((?:\w+(?:\.\w+)*(?:\(\))?)|\([^()]*\))\s+as\s+([iuf](?:8|16|32|64|128|size))\b")
# rustc's binary-operator E0277, both operand types: which side each `A`/`B` is depends on the verb
_BINOP = re.compile(
    r"^cannot (?P<verb>add|subtract|multiply|divide|calculate the remainder of) `(?P<a>[^`]+)` "
    r"(?:to|from|by|divided by) `(?P<b>[^`]+)`"
)
_HAZARD = re.compile(r"keeps the low \d+ bits|wraps to|loses precision|drops the fraction|become infinite")


def _bare(code: str) -> str:
    code = " ".join(code.split())
    while code.startswith("(") and code.endswith(")") and code.count("(") == 1:
        code = code[1:-1].strip()
    return code


def _casts(lines: Iterable[str]) -> list[tuple[str, str]]:
    return [(_bare(m.group(1)), m.group(2)) for ln in lines for m in _CAST.finditer(ln)]


def inserted_casts(diff: str) -> list[tuple[str, str]]:
    """The (operand, target) casts the patch's added lines hold more of than its removed lines."""
    removed = _casts(diff_side(diff, "-"))
    out = []
    for c in _casts(diff_side(diff, "+")):
        if c in removed:
            removed.remove(c)
        else:
            out.append(c)
    return out


def operand_types(diag: Diagnostic | None, read: Callable[[str], bytes | None]) -> dict[str, str]:
    """Each operand of the binary expression a binary-operator E0277 marks, with the type rustc
    gives it: `{"now": "u32", "start": "u64"}` for "cannot subtract `u64` from `u32`"."""
    m = _BINOP.search(diag.message) if diag is not None else None
    span = next((s for s in diag.spans if s.is_primary), None) if diag is not None else None
    source = read(span.file_name) if span is not None else None
    if m is None or span is None or source is None:
        return {}
    lhs, rhs = (m["b"], m["a"]) if m["verb"] in ("add", "subtract") else (m["a"], m["b"])
    n = node_at(source, span.byte_start, span.byte_end)
    expr = next((a for a in (n, *ancestors(n)) if a.type == "binary_expression"), None)
    left = expr.child_by_field_name("left") if expr is not None else None
    right = expr.child_by_field_name("right") if expr is not None else None
    if left is None or right is None:
        return {}
    return {_bare(node_text(left)): lhs, _bare(node_text(right)): rhs}


def casts_cost(
    edits: Iterable[Edit],
    diff: str,
    found: str | None,
    diag: Diagnostic | None,
    read: Callable[[str], bytes | None],
) -> str:
    """The hazard of every narrowing `as` cast the patch writes: from rustc's found type for the
    expression it marks, or from the operand types of a binary operator's E0277."""
    if found:
        for e in edits:
            m = _AS.search(e.replacement)
            if m:
                return cast_cost(found, m.group(1))
        return ""
    types = operand_types(diag, read)
    # A cast the fix moves (`let n = n as T;` written, the `n as T` at one use dropped) cancels out
    # in the diff but still narrows: the casts the edits write count too.
    written = inserted_casts(diff) + _casts(e.replacement for e in edits)
    said = [cast_cost(types.get(operand), target) for operand, target in written]
    return "; ".join(dict.fromkeys(s for s in said if s))


def kept_cast_cost(first_cost: str, first_patch: str, final_patch: str) -> str:
    """The cast hazards a fix's first step was priced with, when every cast that step wrote is still
    in the finished patch: a later step (`.into()` around it) does not undo the narrowing."""
    # the added lines, not the net count: a moved cast (`let n = n as T;`) cancels out in the count
    written = _casts(diff_side(first_patch, "+"))
    final = _casts(diff_side(final_patch, "+"))
    if not written or any(c not in final for c in written):
        return ""
    return "; ".join(c for c in first_cost.split("; ") if _HAZARD.search(c))


TRUNCATES = "integer division truncates (5 / 2 == 2)"


def _typed_int_division(diag: Diagnostic | None, read: Callable[[str], bytes | None]) -> bool:
    """rustc typed the division the error marks as one of integers: the operator's E0277 names two
    integer types, or the marked `a / b` (or one of its operands) was found to be an integer."""
    if diag is None:
        return False
    m = _BINOP.search(diag.message)
    if m is not None:
        return m["verb"] == "divide" and {m["a"].lstrip("&"), m["b"].lstrip("&")} <= quotients.INTS
    span = next((s for s in diag.spans if s.is_primary), None)
    found = re.search(r"found `([^`]+)`", span.label or "") if span is not None else None
    source = read(span.file_name) if span is not None and found else None
    if span is None or found is None or source is None or found.group(1) not in quotients.INTS:
        return False
    return quotients.division(source, span.byte_start, span.byte_end) is not None


def division_cost(diff: str, diag: Diagnostic | None, read: Callable[[str], bytes | None]) -> str:
    """TRUNCATES when the patch's written lines turn an integer quotient into a float (`(a / b as
    i32).into()`, `(a as usize / b) as f64`): the fix type-checks and drops the fraction the float
    was there to keep. Integer operands are known from a cast or rebind the patch writes, or from
    rustc's types for the division the error marks."""
    lines = diff_side(diff, "+")
    known = _typed_int_division(diag, read)
    return TRUNCATES if quotients.truncates(lines, quotients.int_rebinds(lines), known) else ""
