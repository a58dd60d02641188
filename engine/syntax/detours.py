"""Detours a fix's steps leave in the code it writes, taken out before the fix is shown.

Each step of a fix answers the error in front of it: "`&u32` has no `as f64`" is answered with
`*(&x) as f64`, "no `Mul<&f64>` for `f64`" with `&a`, one on top of the other. What compiles then is
`*(&l.qty) as f64 * &l.unit_price` where `l.qty as f64 * l.unit_price` was meant, and clippy says so
(`deref_addrof`, `op_ref`). The mistake this answers: showing the sum of the steps instead of the code a
person would write. Two rewrites, from the syntax tree, only on the lines the fix changed:

- `*&E` and `*(&E)` are `E` where the value is read as a number: the operand of an `as` cast or of
  arithmetic (numbers are `Copy`, so reading through the borrow and reading the place are one read);
- `&E` as an operand of arithmetic (`+ - * / %`) is `E`.

Pure (bytes in, bytes out). The result is a proposal: whoever calls it builds the tidied crate and keeps
it only when it compiles as well as the untidied one (`engine.explain.chain`; the numeric-cast template in `engine.repair.numeric` writes its cast through it), since a non-`Copy`
operand would be moved by `a * b` where `&a * &b` borrowed it.
"""

from __future__ import annotations

from engine.syntax.tree import parse

_ARITH = frozenset({"+", "-", "*", "/", "%"})


def _ref_inner(n):  # noqa: ANN001, ANN202 - tree-sitter nodes stay in this module
    """`E` of `&E` (through parentheses), None for anything else, `&mut E` included."""
    while n is not None and n.type == "parenthesized_expression":
        n = n.named_children[0] if n.named_children else None
    if n is None or n.type != "reference_expression":
        return None
    if any(c.type == "mutable_specifier" for c in n.children):
        return None
    return n.child_by_field_name("value")


def _numeric_use(n) -> bool:  # noqa: ANN001
    """The node is read as a number: cast with `as`, or an operand of arithmetic."""
    p = n.parent
    if p is None:
        return False
    if p.type == "type_cast_expression":
        return p.child_by_field_name("value") == n
    if p.type == "binary_expression":
        op = p.child_by_field_name("operator")
        return op is not None and op.type in _ARITH
    return False


def _rewrites(new: bytes, lo: int, hi: int) -> list[tuple[int, int, bytes]]:
    """(start, end, replacement) for each detour wholly inside [lo, hi), outermost first."""
    out: list[tuple[int, int, bytes]] = []
    stack = [parse(new).root_node]
    while stack:
        n = stack.pop()
        if n.end_byte <= lo or n.start_byte >= hi:
            continue
        inside = lo <= n.start_byte and n.end_byte <= hi
        if inside and n.type == "unary_expression" and n.children and n.children[0].type == "*":
            arg = n.named_children[0] if n.named_children else None
            inner = _ref_inner(arg)
            if inner is not None and _numeric_use(n):
                out.append((n.start_byte, n.end_byte, new[inner.start_byte : inner.end_byte]))
                continue
        if inside and n.type == "reference_expression" and _numeric_use(n):
            inner = _ref_inner(n)
            if inner is not None:
                out.append((n.start_byte, n.end_byte, new[inner.start_byte : inner.end_byte]))
                continue
        stack.extend(reversed(n.children))
    return out


def _changed(orig: bytes, new: bytes) -> tuple[int, int]:
    """The byte range of `new` that differs from `orig` (common prefix and suffix left out), widened
    to whole lines: an expression the fix rewrote is reached even where one byte of it stayed."""
    n = min(len(orig), len(new))
    a = 0
    while a < n and orig[a] == new[a]:
        a += 1
    b = 0
    while b < n - a and orig[len(orig) - 1 - b] == new[len(new) - 1 - b]:
        b += 1
    lo = new.rfind(b"\n", 0, a) + 1
    end = len(new) - b
    nl = new.find(b"\n", end)
    return lo, len(new) if nl < 0 else nl


def tidy(orig: bytes, new: bytes) -> bytes:
    """`new` with the detours of the lines it changed from `orig` taken out (`new` when none)."""
    if orig == new:
        return new
    lo, hi = _changed(orig, new)
    out = new
    for start, end, text in sorted(_rewrites(new, lo, hi), reverse=True):
        out = out[:start] + text + out[end:]
    return out
