"""What one line's edit changes, in whole tokens: `dyn Shape` -> `Self`, `radius` -> `r`, `&report`.

A character diff cuts names in two (`adius` for `radius` -> `r`) and brackets off their mates
(`bytes }`); this diff compares Rust tokens, widens the changed run until its brackets pair up, and
quotes each side from the source as written.
"""

from __future__ import annotations

import re

_TOKEN = re.compile(
    r'b?"(?:\\.|[^"\\])*"|b?\'(?:\\.|[^\'\\])\'|\'[A-Za-z_]\w*|[A-Za-z_]\w*|\d\w*(?:\.\d\w*)?'
    r"|::|->|=>|&&|\|\||\.\.=?|[<>=!]=|\S"
)
_OPEN, _CLOSE = "([{", ")]}"
_GLUE = re.compile(r"[A-Za-z_]\w*|\d\w*|\.|::|&|\*|'[A-Za-z_]\w*|!")  # parts of one expression, unspaced
_QUALIFIERS = {"move", "mut", "ref", "dyn", "impl", "async", "unsafe", "const", "pub"}
LONGEST = 60  # a side longer than this is no fragment: the option is named instead


def _tokens(code: str) -> list[tuple[int, int]]:
    return [m.span() for m in _TOKEN.finditer(code)]


def _unbalanced(code: str, toks: list[tuple[int, int]]) -> tuple[bool, bool]:
    """(a closer before its opener, an opener left open) among these tokens."""
    depth, low = 0, 0
    for a, b in toks:
        t = code[a:b]
        depth += (t in _OPEN) - (t in _CLOSE)
        low = min(low, depth)
    return low < 0, depth > low


def _glued(toks: list[tuple[int, int]], i: int) -> bool:
    """Token i and token i + 1 touch, with no space between."""
    return toks[i][1] == toks[i + 1][0]


def _closing(words: list[str], at: int) -> int | None:
    """The index of the bracket that closes the one at `at`."""
    depth = 0
    for i in range(at, len(words)):
        depth += (words[i] in _OPEN) - (words[i] in _CLOSE)
        if depth == 0:
            return i
    return None


def changed(old: str, new: str) -> tuple[str, str] | None:
    """The old and new code of the tokens that differ, widened to pair their brackets; for an
    insertion, widened over the unspaced expression it joins (`item` + `.clone()`) or the token a
    lone qualifier qualifies (`move ||`), with no old side. None when nothing differs."""
    ot, nt = _tokens(old), _tokens(new)
    ow, nw = [old[a:b] for a, b in ot], [new[a:b] for a, b in nt]
    p = 0
    while p < min(len(ow), len(nw)) and ow[p] == nw[p]:
        p += 1
    s = 0
    while s < min(len(ow), len(nw)) - p and ow[-1 - s] == nw[-1 - s]:
        s += 1
    if p == len(ow) == len(nw):
        return None
    for _ in range(len(ow) + len(nw)):
        lo = [_unbalanced(old, ot[p : len(ot) - s]), _unbalanced(new, nt[p : len(nt) - s])]
        if any(close for close, _ in lo) and p > 0:
            p -= 1
        elif any(open_ for _, open_ in lo) and s > 0:
            s -= 1
        else:
            break
    inserting = p == len(ow) - s
    if inserting and p > 0 and "," in (nw[p], nw[len(nw) - s - 1]):  # a list grows: `x` -> `x, y`
        p, inserting = p - 1, False
    if inserting:  # an insertion: the expression it joins, or what its qualifier qualifies
        inserted = nw[p : len(nw) - s]
        if len(inserted) == 1 and inserted[0] in _QUALIFIERS and s > 0:
            s -= 1
            if inserted[0] == "mut" and p > 0 and nw[p - 1] == "&" and _glued(nt, p - 1):
                p -= 1  # `&self` -> `&mut self`: `mut` makes the reference `&mut`, quoted whole
        else:
            while (
                p > 0
                and _glued(nt, p - 1)
                and _GLUE.fullmatch(nw[p - 1])
                and (nw[p][0] in ".:" or nw[p - 1] in "&*")
            ):
                p -= 1
            end = len(nt) - s
            while s > 0 and _glued(nt, end - 1):
                if nw[end] in "([" and _GLUE.fullmatch(nw[end - 1]):  # `items[i]`, `f(x)`: one expression
                    close = _closing(nw, end)
                    if close is None or close >= len(nw):
                        break
                    s, end = len(nw) - close - 1, close + 1
                elif (
                    _GLUE.fullmatch(nw[end])
                    and nw[end - 1] not in _CLOSE
                    or nw[end - 1] in ")]"
                    and nw[end] in ".?"
                ):
                    s, end = s - 1, end + 1
                else:
                    break
                s = max(s, 0)
    o = old[ot[p][0] : ot[len(ot) - s - 1][1]] if p < len(ot) - s and not inserting else ""
    n = new[nt[p][0] : nt[len(nt) - s - 1][1]] if p < len(nt) - s else ""
    return o, n
