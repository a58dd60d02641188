"""Which head diagnostics the change brought: those with no twin at base.

Twins share level, code, file and message with module paths trimmed (toolbelt.diag_identity), and sit
on the same line once base's lines are mapped through the diff (linemap): a warning that only moved
with the code around it is not the change's. A twin whose base line the change rewrote still counts
(the edit kept the mistake, it did not make it); the nearest such twin is taken. Pure.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from engine.review.linemap import LineMap
from engine.review.types import Base
from toolbelt.diag_identity import distinct, trim_paths
from toolbelt.types import Diagnostic

REVIEWED_LEVELS = ("error", "warning")


class Blame(Base, frozen=True):
    """`new` were brought by the change; `kept` were there before; `gone` the change removed."""

    new: tuple[Diagnostic, ...] = ()
    kept: tuple[Diagnostic, ...] = ()
    gone: tuple[Diagnostic, ...] = ()


def _key(d: Diagnostic) -> tuple[str, str, str, str]:
    p = d.primary
    return (d.level, d.code_str or "", p.file_name if p else "", trim_paths(d.message))


def _line(d: Diagnostic) -> int:
    p = d.primary
    return p.line_start if p is not None else 0


def _reviewed(diags: Sequence[Diagnostic]) -> list[Diagnostic]:
    return [d for d in distinct(list(diags)) if d.level in REVIEWED_LEVELS]


def blame(base: Sequence[Diagnostic], head: Sequence[Diagnostic], maps: Mapping[str, LineMap]) -> Blame:
    """Split head's diagnostics into new and kept, and name base's that are gone.

    `maps` holds a LineMap for each changed file; a file not in it is unchanged (lines map to
    themselves).
    """
    base_l, head_l = _reviewed(base), _reviewed(head)
    pool: dict[tuple[str, str, str, str], list[tuple[int | None, Diagnostic]]] = {}
    for d in base_l:
        k = _key(d)
        m = maps.get(k[2])
        mapped = _line(d) if m is None else m.head_line(_line(d))
        pool.setdefault(k, []).append((mapped, d))
    matched: list[Diagnostic | None] = [None] * len(head_l)
    for i, d in enumerate(head_l):  # pass 1: the twin sits on the mapped line
        cands = pool.get(_key(d), [])
        for j, (mapped, _b) in enumerate(cands):
            if mapped == _line(d):
                matched[i] = cands.pop(j)[1]
                break
    for i, d in enumerate(head_l):  # pass 2: the twin's line was rewritten; the nearest one
        if matched[i] is not None:
            continue
        unmapped = [(j, c) for j, c in enumerate(pool.get(_key(d), [])) if c[0] is None]
        if unmapped:
            j, _c = min(unmapped, key=lambda jc: abs(_line(jc[1][1]) - _line(d)))
            matched[i] = pool[_key(d)].pop(j)[1]
    new = tuple(d for d, m in zip(head_l, matched, strict=True) if m is None)
    kept = tuple(d for d, m in zip(head_l, matched, strict=True) if m is not None)
    gone = tuple(d for cands in pool.values() for _, d in cands)
    return Blame(new=new, kept=kept, gone=gone)
