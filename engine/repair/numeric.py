"""Numeric mixes: arithmetic on two number types, and a sum or product wider than its items. Pure.

rustc states both types ("cannot divide `f64` by `usize`", "cannot be made by summing an iterator
over elements of type `u32`"); the edit is an `as` cast on the operand or item that is narrower or
integral, placed with the syntax tree (`engine.syntax.design`).
"""

from __future__ import annotations

import re

from engine.edits import Edit, apply_edits, edits_between
from engine.facts.parse import facts_of
from engine.facts.types import Place
from engine.repair.cast_uses import convert_variable
from engine.repair.sites import Site
from engine.repair.template_kit import Reader, _dot_before, _make
from engine.repair.types import Candidate
from engine.syntax import design as syn
from engine.syntax import quotients
from engine.syntax.detours import tidy
from engine.syntax.types import Range
from toolbelt.types import Diagnostic

NUMERIC = frozenset("i8 i16 i32 i64 i128 isize u8 u16 u32 u64 u128 usize f32 f64".split())
_NO_IMPL = re.compile(r"no implementation for `(?P<l>\S+) (?P<op>\S+) (?P<r>\S+)`")
_FOLDED = re.compile(
    r"a value of type `(?P<to>\w+)` cannot be made by (?:summing|multiplying) an iterator over elements of type `(?P<item>&?\w+)`"
)


def operand_cast(d: Diagnostic, read: Reader) -> list[Candidate]:
    """Arithmetic between two numeric types: cast the integer operand to the float, or the right
    operand to the left's integer type (the result keeps the left's type)."""
    span = d.primary
    m = _NO_IMPL.search(span.label or "") if span is not None else None
    source = read(span.file_name) if span is not None else None
    if span is None or m is None or source is None:
        return []
    lt, rt = m.group("l").lstrip("&"), m.group("r").lstrip("&")
    if lt not in NUMERIC or rt not in NUMERIC or lt == rt:
        return []
    ops = syn.operands(source, span.byte_start)
    if ops is None:
        return []
    sides = [(ops[1], m.group("r"), lt, 0.72)]  # the right operand to the left's type
    compound = m.group("op").endswith("=") and m.group("op") not in ("==", "!=", "<=", ">=")
    if lt.startswith("f") and not rt.startswith("f"):
        pass
    elif rt.startswith("f") and not lt.startswith("f") and not compound:
        sides = [(ops[0], m.group("l"), rt, 0.72)]  # the integer goes to the float
    elif not compound:
        sides.append((ops[0], m.group("l"), rt, 0.5))
    # An operand written `x as T` states the type the arithmetic is meant in: the other operand goes
    # to T, and the cast is never cast again (`n as u64 as u32`).
    stated = {i: syn.cast_type(source, ops[i]) for i in (0, 1)}
    if stated[1] == rt and not compound:
        sides = [(ops[0], m.group("l"), rt, 0.74)]
    elif stated[0] == lt:
        sides = [s for s in sides if s[0] is not ops[0]]
    out = []
    for r, written, target, score in sides:
        place = Place(file=span.file_name, start=r.start, end=r.end, line=r.line, column=1)
        site = Site(place, source)
        if not site.expression:
            continue
        text = site.text
        if written.startswith("&"):
            edit = site.replace(f"*{text} as {target}" if site.atomic else f"*({text}) as {target}")
        else:
            edit = (
                site.insert(True, f" as {target}") if site.atomic else site.replace(f"({text}) as {target}")
            )
        out.append(
            _make(
                list(_without_detours(span.file_name, source, edit)),
                f"convert `{text}` with `as {target}`",
                "op:cast",
                d.code_str or "E0277",
                score,
            )
        )
        if not written.startswith("&"):  # a variable used elsewhere too: convert it once for all
            out += convert_variable(span.file_name, source, r.start, target, d.code_str or "E0277")
    return out


def float_division(d: Diagnostic, read: Reader) -> list[Candidate]:
    """An integer division whose value the code declares a float: each operand made the float first.

    The general mistake: for `m.trace() / n` (i32 / usize) returned as `f64`, the fixes that make
    the operands agree (`n as i32`, `m.trace() as usize`) and then convert the quotient (`.into()`,
    `as f64`) all divide in integers: 5 / 2 gives 2.0. The float is known from rustc (an E0308 that
    expects `f64` where the division gave an integer) or from the declared type the quotient goes
    to (`engine.syntax.quotients.float_place`); the operands are integers by rustc's types (the
    operator's E0277, an operand's E0308). `a as f64 / b as f64` keeps the fraction."""
    span = d.primary
    source = read(span.file_name) if span is not None else None
    if span is None or source is None:
        return []
    f = facts_of(d)
    expected, found = (f.expected or "").strip(), (f.found or "").strip()
    m = _NO_IMPL.search(span.label or "")
    ints = quotients.INTS
    if m is not None:
        operands_int = m.group("op") == "/" and {m.group("l").lstrip("&"), m.group("r").lstrip("&")} <= ints
    else:
        operands_int = found in ints and (expected in ints or expected in quotients.FLOATS)
    div = quotients.division(source, span.byte_start, span.byte_end) if operands_int else None
    if div is None:
        return []
    whole = expected in quotients.FLOATS and (div.start_byte, div.end_byte) == (
        span.byte_start,
        span.byte_end,
    )
    if expected in quotients.FLOATS and not whole:
        return []  # an operand that must be a float itself: the cast at that operand is the fix
    ty = expected if whole else quotients.float_place(source, div)
    if ty is None:
        return []
    edit = Edit(
        file=span.file_name,
        start=div.start_byte,
        end=div.end_byte,
        replacement=quotients.float_quotient(div, ty),
    )
    why = f"divide in `{ty}`: convert each operand to `{ty}` first, so the quotient keeps its fraction"
    return [_make([edit], why, "op:float-division", d.code_str or "E0308", 0.9)]


def _without_detours(file: str, source: bytes, edit: Edit) -> tuple[Edit, ...]:
    """The cast as a person writes it: `*(&l.qty) as f64 * &l.unit_price` is `l.qty as f64 *
    l.unit_price` (numbers are `Copy`; `engine.syntax.detours`), and the operands rustc named are
    numbers, so the borrow-free form type-checks wherever the detour did."""
    new = apply_edits(source, [edit])
    tidied = tidy(source, new)
    if tidied == new:  # no detour: keep the template's own edit, whose inserted `as T` the costs read
        return (edit,)
    return edits_between(file, source, tidied) or (edit,)


def operator_mix(d: Diagnostic, read: Reader) -> Range | None:
    """The whole arithmetic expression of a numeric-mix error ("no implementation for `u32 * u64`"),
    None for any other error."""
    span = d.primary
    m = _NO_IMPL.search(span.label or "") if span is not None else None
    source = read(span.file_name) if span is not None and m is not None else None
    if span is None or m is None or source is None:
        return None
    if m.group("l").lstrip("&") not in NUMERIC or m.group("r").lstrip("&") not in NUMERIC:
        return None
    return syn.operation(source, span.byte_start)


def inner_mix(target: Diagnostic, errors: list[Diagnostic], read: Reader) -> Diagnostic:
    """The innermost numeric-mix error inside the expression `target` is about, else `target`.

    rustc types arithmetic inside out and reports each level: in `base + step * n as u64` the `*`
    mixes u32 and u64, and the `+` and the mismatches around it only follow from that. The inner
    operator names both operand types, so the cast goes where the mix starts.
    """
    seen = {id(target)}
    while True:
        span = target.primary
        source = read(span.file_name) if span is not None else None
        if span is None or source is None:
            return target
        own = operator_mix(target, read)
        outer = own or syn.reach(source, span.byte_start, span.byte_end)
        inside = []
        for d in errors:
            p = d.primary
            r = operator_mix(d, read) if id(d) not in seen and p is not None else None
            if r is None or p is None or p.file_name != span.file_name:
                continue
            if (
                outer.start <= r.start
                and r.end <= outer.end
                and (own is None or (r.start, r.end) != (own.start, own.end))
            ):
                inside.append((r.end - r.start, r.start, d))
        if not inside:
            return target
        target = min(inside, key=lambda t: (-t[0], t[1]))[2]  # the next level in, not the deepest at once
        seen.add(id(target))


def widen_items(d: Diagnostic, read: Reader) -> list[Candidate]:
    """`sum()`/`product()` into a wider number than the items (`u64` from `u32`): cast inside the
    `map` closure that makes the items, each operand of its arithmetic first (so the product cannot
    overflow in the narrow type), or add a `.map(|x| x as T)` when there is no closure."""
    span = d.primary
    m = _FOLDED.search(d.message)
    source = read(span.file_name) if span is not None else None
    if span is None or m is None or source is None:
        return []
    to, item = m.group("to"), m.group("item")
    if to not in NUMERIC or item.lstrip("&") not in NUMERIC:
        return []
    code, f = d.code_str or "E0277", span.file_name
    mb = syn.map_body_before(source, span.byte_start)
    if mb is not None and mb.operands:
        edits = [Edit(file=f, start=r.end, end=r.end, replacement=f" as {to}") for r in mb.operands]
        return [_make(edits, f"compute each item in `{to}`: cast both operands", "op:cast", code, 0.72)]
    if mb is not None:
        b = mb.body
        edit = (
            Edit(file=f, start=b.end, end=b.end, replacement=f" as {to}")
            if mb.atomic
            else Edit(file=f, start=b.start, end=b.end, replacement=f"({b.text}) as {to}")
        )
        return [_make([edit], f"make each item a `{to}` inside the closure", "op:cast", code, 0.7)]
    dot = _dot_before(source, span.byte_start)
    if dot is None:
        return []
    star = "*" if item.startswith("&") else ""
    edit = Edit(file=f, start=dot, end=dot, replacement=f".map(|x| {star}x as {to})")
    return [_make([edit], f"make each item a `{to}` before adding them up", "op:cast", code, 0.68)]
