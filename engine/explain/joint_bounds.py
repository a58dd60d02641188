"""Several unmet bounds on one type parameter in one story, as one fix that writes them all (#14).

The general mistake: code generic over `T` asks more of `T` than its declaration promises, in
more than one way (`.cloned()` needs `T: Clone`, `v.sort()` needs `T: Ord`). rustc reports one
E0277 per bound and suggests each alone ("consider restricting type parameter `T` with trait
`Clone`"), each an insertion at the same place of the same generic list. Checked alone, each leaves
its sibling's error, so neither clears the story, and the two cannot both be applied: they write
at one point. The facts are rustc's own suggestions: the same insertion point, bound text after a
`:` or `+`. The union of their bounds at that point (`T: Clone + Ord`) is one fix for every error.
The same holds for Rusta's per-method bounds (`engine.repair.method_bounds`, family
"method-bound"): one per erring method, at disjoint places, made together.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence

import msgspec

from engine.edits import Edit, edit_id
from engine.repair.types import Candidate

_ONE = r"[A-Za-z_][\w:]*(?:<[^<>]*>)?"
# rustc's insertion of a bound: `: std::clone::Clone`, ` + std::cmp::Ord`
_INSERTED = re.compile(rf"(?P<lead>\s*[:+]\s*)(?P<b>{_ONE}(?:\s*\+\s*{_ONE})*)\s*")
_PARAM = re.compile(r"(\w+)\s*(?::[^,<>]*)?$")


def _insertion(c: Candidate) -> tuple[str, int, str, tuple[str, ...]] | None:
    """(file, offset, lead, bounds) when the candidate is one insertion of bound text."""
    if len(c.edits) != 1:
        return None
    e = c.edits[0]
    m = _INSERTED.fullmatch(e.replacement)
    if e.start != e.end or m is None:
        return None
    return e.file, e.start, m["lead"], tuple(b.strip() for b in m["b"].split("+"))


def _param(read: Callable[[str], bytes | None], file: str, at: int) -> str:
    """The type parameter a bound inserted at byte `at` of `file` follows, as the source names it."""
    data = read(file)
    m = _PARAM.search(data[:at].decode("utf-8", "replace")) if data is not None else None
    return m.group(1) if m else ""


def joint_insertions(
    per_site: Sequence[Sequence[Candidate]], read: Callable[[str], bytes | None]
) -> list[tuple[Candidate, tuple[str, ...]]]:
    """One candidate per insertion point that 2+ sites give different bounds at: the union of the
    bounds written there once, with the ids of the single-bound candidates it joins."""
    at: dict[tuple[str, int], list[tuple[Candidate, str, tuple[str, ...]]]] = {}
    for found in per_site:
        mine: dict[tuple[str, int], tuple[Candidate, str, tuple[str, ...]]] = {}
        for c in found:
            got = _insertion(c)
            if got is not None:
                mine.setdefault(got[:2], (c, got[2], got[3]))
        for k, v in mine.items():
            at.setdefault(k, []).append(v)
    out: list[tuple[Candidate, tuple[str, ...]]] = []
    for (file, start), cs in at.items():
        bounds = tuple(dict.fromkeys(b for _, _, bs in cs for b in bs))
        ids = tuple(dict.fromkeys(c.id for c, _, _ in cs))
        if len(ids) < 2 or len(bounds) < 2:
            continue
        lead, lead_ws = cs[0][0], cs[0][1]
        t = _param(read, file, start)
        edit = Edit(file=file, start=start, end=start, replacement=f"{lead_ws}{' + '.join(bounds)}")
        joined = " + ".join(bounds)
        said = f"bound `{t}: {joined}` where `{t}` is declared" if t else f"the bounds {joined} together"
        out.append(
            (
                msgspec.structs.replace(
                    lead,
                    id=edit_id((edit,)),
                    edits=(edit,),
                    source="template",
                    family="joint-bound",
                    description=f"{said}, one for each of the {len(ids)} errors",
                    applicability="Unspecified",
                    score=max(c.score for c, _, _ in cs),
                ),
                ids,
            )
        )
    return out


def joint_method_bounds(per_site: Sequence[Sequence[Candidate]]) -> list[tuple[Candidate, tuple[str, ...]]]:
    """Rusta's per-method bounds, one from each of 2+ sites at disjoint places, made together."""
    picked: list[Candidate] = []
    for found in per_site:
        mine = [c for c in found if c.family == "method-bound" and c.edits]
        if len(mine) == 1 and mine[0].id not in {c.id for c in picked}:
            picked.append(mine[0])
    if len(picked) < 2:
        return []
    edits = sorted((e for c in picked for e in c.edits), key=lambda e: (e.file, e.start))
    if any(a.file == b.file and a.end > b.start for a, b in zip(edits, edits[1:], strict=False)):
        return []  # two bounds in one method's `where` clause: one rewrite of it, not two
    parts = [c.description.removeprefix("bound ").removesuffix(" only") for c in picked]
    lead = picked[0]
    return [
        (
            msgspec.structs.replace(
                lead,
                id=edit_id(tuple(edits)),
                edits=tuple(edits),
                description=f"bound {' and '.join(parts)}, each only where it is needed",
                score=max(c.score for c in picked),
            ),
            tuple(c.id for c in picked),
        )
    ]
