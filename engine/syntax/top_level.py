"""Splitting written type or pattern text at its top-level commas: the one reader every module that
takes a generic list, a tuple pattern or a type's arguments apart shares (it was written four times)."""

from __future__ import annotations


def split_top(s: str) -> list[str]:
    """Split at commas outside brackets: `(u32, &Assoc)` inner -> [`u32`, `&Assoc`]; parts are
    stripped, and an empty last part (a trailing comma) is dropped."""
    out, depth, cur = [], 0, ""
    for ch in s:
        if ch in "<([{":
            depth += 1
        elif ch in ">)]}":
            depth -= 1
        if ch == "," and depth == 0:
            out.append(cur.strip())
            cur = ""
        else:
            cur += ch
    if cur.strip():
        out.append(cur.strip())
    return out
