"""One kind of edit, made at every site of a story's one mistake, as one fix (#14).

The general mistake: the same slip made at several places (four `"+"` string literals in one
or-pattern matched against a `char`; `?` on a `ParseIntError` at two lines of a fn returning
`ConfigError`). rustc, or a Rusta template, gives each place its own edit of one kind (the same help
text, the same family: "use single quotes", "wrap the error in `ConfigError::BadNumber`"), each
touching only its own site. Checked alone, each leaves its siblings' errors, so it reads as "does
not compile here" although it is exactly right. The story already says these places are one
mistake; so the edits of one kind, one from each site, are one fix, validated together, and stand
in for the per-site ones, which say nothing true alone.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from itertools import pairwise

import msgspec

from engine.edits import Edit, edit_id
from engine.repair.types import Candidate
from engine.syntax.tree import ancestors, enclosing_fn, node_at
from toolbelt.types import Diagnostic


def _kind(c: Candidate, loose: bool = False) -> tuple[str, str, str]:
    """One edit kind: same origin, family and words; `loose`, the words left out (a lint's per-place
    fix names its own loop variable: `i` at one place, `j` at the next)."""
    return (c.source, c.family, "" if loose else c.description)


def _disjoint(edits: Sequence[Edit]) -> bool:
    """No two edits touch the same bytes (an identical edit shared by two sites is one edit, and a
    fix for both already: `engine.explain.siblings`)."""
    spans = sorted((e.file, e.start, e.end) for e in edits)
    return all(a[0] != b[0] or a[2] <= b[1] and (a[1], a[2]) != (b[1], b[2]) for a, b in pairwise(spans))


def combine(
    per_site: Sequence[Sequence[Candidate]], loose: bool = False
) -> list[tuple[Candidate, tuple[str, ...]]]:
    """Each edit kind that 2+ sites offer exactly once: the union of their edits as one candidate
    named "… at each of the N places", with the ids of the per-site candidates it stands in for.

    A site offering two edits of one kind (alternatives, not one edit) leaves that kind out: which
    of them goes with the other sites' is a choice, not a fact."""
    seen: dict[tuple[str, str, str], list[Candidate]] = {}
    for found in per_site:
        mine: dict[tuple[str, str, str], list[Candidate]] = {}
        for c in found:
            if c.edits:
                mine.setdefault(_kind(c, loose), []).append(c)
        for k, cs in mine.items():
            if len(cs) == 1:
                seen.setdefault(k, []).append(cs[0])
    out: list[tuple[Candidate, tuple[str, ...]]] = []
    for cs in seen.values():
        ids = tuple(dict.fromkeys(c.id for c in cs))
        if len(ids) < 2:
            continue
        # an edit every site's fix makes alike (the getter each per-site fix adds) is made once
        edits = tuple(dict.fromkeys(e for c in cs for e in c.edits))
        if not _disjoint(edits):
            continue
        lead = cs[0]
        out.append(
            (
                msgspec.structs.replace(
                    lead,
                    id=edit_id(edits),
                    edits=tuple(sorted(edits, key=lambda e: (e.file, e.start))),
                    description=f"{lead.description.rstrip('. ')}, at each of the {len(ids)} places",
                ),
                ids,
            )
        )
    return out


def by_fn(
    per_site: Sequence[Sequence[Candidate]],
    diags: Sequence[Diagnostic],
    read: Callable[[str], bytes | None],
) -> list[tuple[Candidate, tuple[str, ...]]]:
    """`combine` within each function: a lint repeated at several places of one fn (clippy's
    `ptr_arg` on two `&Vec` parameters of `dot`) is one change of that fn, made at every place. A
    lint story spans the crate, and places in other functions whose fix changes a signature stay
    fixes of their own. When every place's edit of one kind lies inside a fn body (needless_range_loop
    rewriting two loops in two fns), the edits at every place are the one fix: a story that says
    "2 places" and whose `--apply` changed one loop left the other flagged."""
    parts: dict[tuple[str, int], list[Sequence[Candidate]]] = {}
    for d, found in zip(diags, per_site, strict=True):
        p = d.primary
        data = read(p.file_name) if p is not None else None
        fn = enclosing_fn(data, p.byte_start, p.byte_end) if p is not None and data is not None else None
        if p is not None and fn is not None:
            parts.setdefault((p.file_name, fn.range.start), []).append(found)
    if len(parts) > 1 and sum(len(v) for v in parts.values()) == len(per_site):
        whole = [got for got in combine(per_site, loose=True) if _inside_bodies(got[0].edits, read)]
        if whole:
            return whole  # every place the story covers, across its fns: nothing a caller sees
    return [got for sites in parts.values() if len(sites) > 1 for got in combine(sites)]


def _inside_bodies(edits: Sequence[Edit], read: Callable[[str], bytes | None]) -> bool:
    """Every edit lies inside a fn's body: the change is local to each fn, so no caller sees it (a
    signature change, such as ptr_arg's slice parameter, stays one fn's own choice)."""
    for e in edits:
        data = read(e.file)
        if data is None:
            return False
        n = node_at(data, e.start, max(e.end, e.start + 1))
        fn = next((a for a in (n, *ancestors(n)) if a.type == "function_item"), None)
        body = fn.child_by_field_name("body") if fn is not None else None
        if body is None or not (body.start_byte < e.start and e.end < body.end_byte):
            return False
    return True
