"""Rewrites of a Rust source that make rustc name an expression's type in an E0308 diagnostic. Pure.

Each rewrite records where the probe, the mark and the inserted region sit in the new text, and
which stretches are copied from the original, so positions in rustc's answer map back.
"""

from __future__ import annotations

import re

import msgspec

from toolbelt.probe_scan import ExprSpan, line_col


class Rewrite(msgspec.Struct, frozen=True):
    text: str
    probe: tuple[int, int]  # char ranges in `text`
    mark: tuple[int, int]
    region: tuple[int, int]
    origin: tuple[tuple[int, int, int], ...]  # (new start, new end, original start) of kept source


# A piece: its text, its role ("" kept outside the region, "ins" inside it, "probe", "mark"),
# and the offset in the original source it was copied from (None for inserted text).
_Piece = tuple[str, str, int | None]


def _assemble(pieces: list[_Piece]) -> Rewrite:
    ranges: dict[str, tuple[int, int]] = {}
    origin: list[tuple[int, int, int]] = []
    pos, first_ins, last_ins = 0, -1, 0
    for piece, role, orig in pieces:
        if role in ("probe", "mark"):
            ranges[role] = (pos, pos + len(piece))
        if role:
            first_ins = pos if first_ins < 0 else first_ins
            last_ins = pos + len(piece)
        if orig is not None:
            origin.append((pos, pos + len(piece), orig))
        pos += len(piece)
    return Rewrite(
        text="".join(p for p, _, _ in pieces),
        probe=ranges["probe"],
        mark=ranges["mark"],
        region=(max(first_ins, 0), last_ins),
        origin=tuple(origin),
    )


def in_place(src: str, e: ExprSpan) -> Rewrite:
    return _assemble(
        [
            (src[: e.start], "", 0),
            ("{ let __rusta_mark: () = ", "ins", None),
            ("0u8", "mark", None),
            ("; let __rusta_probe: () = ", "ins", None),
            (e.text, "probe", e.start),
            ("; unreachable!() }", "ins", None),
            (src[e.end :], "", e.end),
        ]
    )


def after_statement(src: str, e: ExprSpan, stmt: tuple[int, int]) -> Rewrite:
    s0, s1 = stmt
    return _assemble(
        [
            (src[:s0], "", 0),
            ("let __rusta_probe; ", "ins", None),
            (src[s0 : e.start], "ins", s0),
            ("{ __rusta_probe = ", "ins", None),
            (e.text, "ins", e.start),
            ("; __rusta_probe }", "ins", None),
            (src[e.end : s1], "ins", e.end),
            (" let __rusta_mark: () = ", "ins", None),
            ("0u8", "mark", None),
            ("; let _: () = ", "ins", None),
            ("__rusta_probe", "probe", None),
            (";", "ins", None),
            (src[s1:], "", s1),
        ]
    )


def after_binding(src: str, name: ExprSpan, stmt: tuple[int, int]) -> Rewrite:
    s1 = stmt[1]
    return _assemble(
        [
            (src[:s1], "", 0),
            (" let __rusta_mark: () = ", "ins", None),
            ("0u8", "mark", None),
            ("; let _: () = ", "ins", None),
            (name.text, "probe", None),
            (";", "ins", None),
            (src[s1:], "", s1),
        ]
    )


_LOC = re.compile(r"@([^:{}]+):(\d+):(\d+): (\d+):(\d+)\}")


def remap(ty: str, rw: Rewrite, src: str, rel: str) -> str:
    """Closure locations in rustc's type point into the rewrite; point them back at the user's file."""
    starts = [0]
    for ln in rw.text.split("\n"):
        starts.append(starts[-1] + len(ln) + 1)

    def back(line: int, col: int) -> tuple[int, int]:
        x = starts[line - 1] + col - 1 if 0 < line < len(starts) else -1
        for a, b, orig in rw.origin:
            if a <= x <= b:
                return line_col(src, orig + x - a)
        return line, col

    def repl(m: re.Match[str]) -> str:
        if m.group(1) != rel:
            return m.group(0)
        l1, c1 = back(int(m.group(2)), int(m.group(3)))
        l2, c2 = back(int(m.group(4)), int(m.group(5)))
        return f"@{rel}:{l1}:{c1}: {l2}:{c2}}}"

    return _LOC.sub(repl, ty)
