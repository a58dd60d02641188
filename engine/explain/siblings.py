"""Sibling errors of one cause, fixed as one edit.

rustc reports one error per place for a single mistake (three E0106 on one struct's fields), and
gives each its own suggestion, all sharing an edit (`struct Section<'a>`). Checked alone, each
leaves its siblings, so it reads as "the error stays". Stories of one code whose rustc suggestions
share an identical edit are siblings; the union of those suggestions (each shared edit once) is
checked as one fix for all of them, and when it compiles it is every sibling's lead fix.
"""

from __future__ import annotations

from collections.abc import Sequence

import msgspec

from engine.edits import Edit, EditError, added_lines, apply_edits, by_file, edit_id, unified_diff
from engine.explain.types import Explanation, PatchOption
from engine.patching.diffs import first_place


def rustc_fix(options: Sequence[PatchOption]) -> PatchOption | None:
    return next((o for o in options if o.source == "rustc" and o.edits), None)


def groups(stories: Sequence[Explanation], tried: Sequence[Sequence[PatchOption]]) -> list[list[int]]:
    """Indexes of sibling stories: one code, and rustc suggestions that share an identical edit,
    where at least one of them did not compile alone."""
    out: list[list[int]] = []
    for i, s in enumerate(stories):
        o = rustc_fix(tried[i])
        if o is None or not s.diagnostics:
            continue
        code = s.diagnostics[0].code_str
        for g in out:
            j = g[0]
            other = rustc_fix(tried[j])
            if stories[j].diagnostics[0].code_str == code and other and set(o.edits) & set(other.edits):
                g.append(i)
                break
        else:
            out.append([i])
    return [
        g
        for g in out
        if len(g) > 1 and any(rustc_fix(tried[i]).validated != "compiles" for i in g)  # type: ignore[union-attr]
    ]


def union(options: Sequence[PatchOption], read) -> PatchOption | None:  # read: rel -> bytes | None
    """The options' edits as one option (an edit they share once); None when they overlap otherwise."""
    edits: list[Edit] = []
    for o in options:
        edits += [ed for ed in o.edits if ed not in edits]
    before: dict[str, bytes | None] = {}
    after: dict[str, bytes | None] = {}
    for rel, mine in by_file(edits).items():
        old = read(rel)
        if old is None:
            return None
        try:
            after[rel] = apply_edits(old, mine)
        except EditError:
            return None
        before[rel] = old
    patch = unified_diff(before, after)
    file, line = first_place(patch)
    first = options[0]
    return msgspec.structs.replace(
        first,
        id=edit_id(edits),
        name=f"{first.name.split(';')[0].strip()}, for all {len(options)} errors at once",
        edits=tuple(edits),
        patch=patch,
        shows=added_lines(patch),
        file=file,
        line=line,
        validated="not-checked",
        fails_because="",
    )


def joined(stories: Sequence[Explanation], group: Sequence[int]) -> Explanation:
    """The first sibling's story with every sibling's errors: the union must clear them all."""
    head = stories[group[0]]
    diags = tuple(d for i in group for d in stories[i].diagnostics)
    return msgspec.structs.replace(head, diagnostics=diags)
