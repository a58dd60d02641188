"""Follow-on errors, found by validation: a fix of one story that makes another story's every error go
(a method made `pub` clears the `str: Sized` errors rustc raised at its call, since it could not type
that call) names the story it clears, which follows from the first one. A story that offers the
same edit for its own error is not a follow-on but another site of the same mistake: one fix
clears both (`shared_fix`). Pure.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable

from engine.explain import joint
from engine.explain.joint import Key
from engine.explain.joint import counted as _counted
from engine.explain.joint import key as _key
from engine.explain.types import Explanation, PatchOption
from toolbelt.types import CheckReport, Diagnostic

Reader = Callable[[str], bytes | None]


def cleared(e: Explanation, before: Counter[Key], after: CheckReport) -> tuple[Key, ...]:
    """The crate's errors other than the story's own that are all gone with the edit in."""
    now, own = _counted(after), {_key(d) for d in e.diagnostics}
    return tuple(sorted(k for k in before if k[0].startswith("error") and k not in own and not now[k]))


def follow_ons(
    stories: list[Explanation], i: int, o: PatchOption, keys: tuple[Key, ...], read: Reader | None = None
) -> tuple[int, ...]:
    """The other error stories whose every error is among `keys`, the errors a fix of story `i`
    clears, none on a line the fix writes, that do not offer the same edit for their own error, and
    that the code ties to story `i` (`_linked`): they follow from story `i`'s mistake."""
    return tuple(
        j
        for j in _cleared_stories(stories, i, o, keys)
        if not _offers(stories[j], o) and _linked(stories[i], stories[j], read)
    )


def also_cleared(
    stories: list[Explanation], i: int, o: PatchOption, keys: tuple[Key, ...], read: Reader | None = None
) -> tuple[int, ...]:
    """The other stories the fix clears with nothing that shows why: not the same edit, no tie in
    the code. That they go is a fact of the check; that they follow from this one is not claimed."""
    return tuple(
        j
        for j in _cleared_stories(stories, i, o, keys)
        if not _offers(stories[j], o) and not _linked(stories[i], stories[j], read)
    )


def _linked(a: Explanation, b: Explanation, read: Reader | None) -> bool:
    """Whether `b`'s errors derive from `a`'s in the code: a span of each meets in one file, or `b`'s
    error is in a pattern or arm that takes the value of the expression `a`'s error is in (the
    `Err(why)` arm of a `match` on the private call rustc could not type)."""
    spans_a = [s for d in a.diagnostics for s in d.spans]
    spans_b = [t for d in b.diagnostics for t in d.spans]
    if any(
        s.file_name == t.file_name and s.byte_start <= t.byte_end and t.byte_start <= s.byte_end
        for t in spans_b
        for s in spans_a
    ):
        return True
    from engine.syntax.origins import fed_by

    for d in b.diagnostics:
        p = d.primary
        source = read(p.file_name) if p is not None and read is not None else None
        if p is None or source is None:
            continue
        for s in (x.primary for x in a.diagnostics):
            if (
                s is not None
                and s.file_name == p.file_name
                and fed_by(source, p.byte_start, s.byte_start, s.byte_end)
            ):
                return True
    return False


def shared_fix(stories: list[Explanation], i: int, o: PatchOption, keys: tuple[Key, ...]) -> tuple[int, ...]:
    """The other stories the fix clears that offer the very same edit for their own error.

    The general mistake this guards against: two sites of one missing conversion or impl (two `?`
    on a `ParseIntError` in a fn without `From<ParseIntError>`) are cleared by one `impl From`, and
    each story then says the other "follows from" it: a circular causal claim. A story that derives
    the same edit from its own diagnostic is an independent site, so one fix clears both, and no
    error is said to follow from the other. A site on a line the edit rewrites counts too (the let
    of a borrow that the fix moves into a closure): the same validated edit clears it, and no cause
    is claimed, so nothing depends on the edit staying away from it."""
    return tuple(j for j in _cleared_stories(stories, i, o, keys, on_written=True) if _offers(stories[j], o))


def _offers(e: Explanation, o: PatchOption) -> bool:
    return any(f.id == o.id or (f.patch and f.patch == o.patch) for f in e.fixes)


def _cleared_stories(
    stories: list[Explanation], i: int, o: PatchOption, keys: tuple[Key, ...], on_written: bool = False
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
        and all(_key(d) in gone and (on_written or away(d)) for d in e.diagnostics)
    )


def one_edit_places(e: Explanation, o: PatchOption) -> int:
    """How many places of the story's one mistake this edit clears while writing none of them: the
    story reports the same mistake at 2+ lines, and with the edit in the crate has no error left
    (an `impl From` after the enum clears both `?`). 0 when that is not shown: then nothing is said
    about whether each place needs its own change."""
    # the places pair's heading lists (modes.rendering._positions): the count the user reads there
    at = {(p.file_name, p.line_start, p.column_start) for d in e.diagnostics if (p := d.primary) is not None}
    places = {(f, n) for f, n, _ in at}
    wrote = joint.new_lines(o.patch)
    if (
        len(at) < 2
        or o.validated != "compiles"
        or o.errors_left
        or o.errors_new
        or any(n in wrote.get(f, ()) for f, n in places)
    ):
        return 0
    return len(at)
