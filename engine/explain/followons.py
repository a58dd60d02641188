"""Follow-on errors, found by validation: a fix of one story that makes another story's every error go
(a method made `pub` clears the `str: Sized` errors rustc raised at its call, since it could not type
that call) names the story it clears, which follows from the first one. Pure.
"""

from __future__ import annotations

from collections import Counter

from engine.explain import joint
from engine.explain.joint import Key
from engine.explain.joint import counted as _counted
from engine.explain.joint import key as _key
from engine.explain.types import Explanation, PatchOption
from toolbelt.types import CheckReport, Diagnostic


def cleared(e: Explanation, before: Counter[Key], after: CheckReport) -> tuple[Key, ...]:
    """The crate's errors other than the story's own that are all gone with the edit in."""
    now, own = _counted(after), {_key(d) for d in e.diagnostics}
    return tuple(sorted(k for k in before if k[0].startswith("error") and k not in own and not now[k]))


def follow_ons(stories: list[Explanation], i: int, o: PatchOption, keys: tuple[Key, ...]) -> tuple[int, ...]:
    """The other error stories whose every error is among `keys`, the errors a fix of story `i`
    clears, none on a line the fix writes: they follow from story `i`'s mistake."""
    gone, wrote = set(keys), joint.new_lines(o.patch)

    def away(d: Diagnostic) -> bool:
        p = d.primary
        return p is None or not any(
            n in wrote.get(p.file_name, ()) for n in range(p.line_start, p.line_end + 1)
        )

    return tuple(
        j
        for j, e in enumerate(stories)
        if j != i
        and e.level.startswith("error")
        and e.diagnostics
        and all(_key(d) in gone and away(d) for d in e.diagnostics)
    )
