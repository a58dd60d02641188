"""Follow-on errors, found by validation: a fix of one story that makes another story's every error go
(a method made `pub` clears the `str: Sized` errors rustc raised at its call, since it could not type
that call) names the story it clears, which follows from the first one. A story that offers the
same edit for its own error is not a follow-on but another site of the same mistake: one fix
clears both (`shared_fix`). Pure.
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
    clears, none on a line the fix writes, and that do not offer the same edit for their own error:
    they follow from story `i`'s mistake (rustc could not type them because of it)."""
    return tuple(j for j in _cleared_stories(stories, i, o, keys) if not _offers(stories[j], o))


def shared_fix(stories: list[Explanation], i: int, o: PatchOption, keys: tuple[Key, ...]) -> tuple[int, ...]:
    """The other stories the fix clears that offer the very same edit for their own error.

    The general mistake this guards against: two sites of one missing conversion or impl (two `?`
    on a `ParseIntError` in a fn without `From<ParseIntError>`) are cleared by one `impl From`, and
    each story then says the other "follows from" it: a circular causal claim. A story that derives
    the same edit from its own diagnostic is an independent site, so one fix clears both, and no
    error is said to follow from the other."""
    return tuple(j for j in _cleared_stories(stories, i, o, keys) if _offers(stories[j], o))


def _offers(e: Explanation, o: PatchOption) -> bool:
    return any(f.id == o.id or (f.patch and f.patch == o.patch) for f in e.fixes)


def _cleared_stories(
    stories: list[Explanation], i: int, o: PatchOption, keys: tuple[Key, ...]
) -> tuple[int, ...]:
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


def one_edit_places(e: Explanation, o: PatchOption) -> int:
    """How many places of the story's one mistake this edit clears while writing none of them: the
    story reports the same mistake at 2+ lines, and with the edit in the crate has no error left
    (an `impl From` after the enum clears both `?`). 0 when that is not shown: then nothing is said
    about whether each place needs its own change."""
    places = {(d.primary.file_name, d.primary.line_start) for d in e.diagnostics if d.primary is not None}
    wrote = joint.new_lines(o.patch)
    if (
        len(places) < 2
        or o.validated != "compiles"
        or o.errors_left
        or o.errors_new
        or any(n in wrote.get(f, ()) for f, n in places)
    ):
        return 0
    return len(places)
