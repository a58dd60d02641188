"""A fix whose ✓ came from a joint check lands with the fixes it was checked beside, as one patch.

The general mistake it answers: landing half of a pair. A fix that leaves another story's error
(a parameter's type changed, its caller's argument not yet) is checked and tested beside that
story's lead fix (`PatchOption.set_with`), or compiles only beside the other story's fix that
rewrites a line it meets (`PatchOption.together_with`). Its ✓ is the pair's. Applied alone, the
crate is left half-way: the error the companion answered may now read differently (a mismatch moved
to the other side of the call), so the companion is no longer offered and nothing finishes the
change. So such a fix lands with its companions in one diff (one patch, one undo); when their edits
overlap, so that no one diff holds them, it does not land and the reason names the fix it needs.
Pure: the stories and the files' bytes in, a diff or the reason out.
"""

from __future__ import annotations

from collections.abc import Callable

import msgspec

from engine.edits import EditError, diff_of_edits
from engine.explain.types import Explanation, PatchOption
from engine.repair.types import Edit


class Joint(msgspec.Struct, frozen=True, kw_only=True):
    """The patch a picked fix lands as: its own diff, or the diff of it and its companions."""

    diff: str
    with_stories: tuple[int, ...] = ()  # the companions' stories, 0-based: their lead fixes are in
    refused: str = ""  # why it cannot land: the fix it needs cannot be written in the same diff


def companions(
    stories: tuple[Explanation, ...] | list[Explanation], index: int, f: PatchOption
) -> tuple[int, ...]:
    """The stories (0-based) whose first fix `f` needs beside it: those of the set run that gave it its
    ✓ when it leaves errors alone, else those whose first fix shows the lines it compiled together
    with. Empty for a fix that compiles (and was tested) alone."""
    if f.set_with and f.errors_left:
        return tuple(j for j in f.set_with if j != index and 0 <= j < len(stories) and stories[j].fixes)
    if not f.together_with:
        return ()
    want = set(f.together_with)
    return tuple(
        j
        for j, s in enumerate(stories)
        if j != index
        and s.fixes
        and (lines := {ln.strip() for ln in s.fixes[0].shows if ln.strip()})
        and lines <= want
    )


def _overlap(a: Edit, b: Edit) -> bool:
    return a.file == b.file and a.start < b.end and b.start < a.end


def joint_patch(
    stories: tuple[Explanation, ...] | list[Explanation],
    index: int,
    f: PatchOption,
    read: Callable[[str], bytes],
) -> Joint:
    """What picking `f` (a fix of story `index`) lands. `read` gives a crate file's bytes by the
    relative path the edits name. A companion whose lead is `f`'s own edit (one fix that clears
    two stories) adds nothing."""
    need = companions(stories, index, f)
    if not need:
        return Joint(diff=f.patch)
    edits: list[Edit] = list(f.edits)
    for j in need:
        lead = stories[j].fixes[0]
        extra = [e for e in lead.edits if e not in edits]
        if any(_overlap(a, b) for a in extra for b in edits):
            return Joint(diff=f.patch, with_stories=need, refused=needs_words(stories, need, "overlaps"))
        edits.extend(extra)
    try:
        files = {p: read(p) for p in {e.file for e in edits}}
        diff = diff_of_edits(files, edits)
    except (EditError, OSError):
        return Joint(diff=f.patch, with_stories=need, refused=needs_words(stories, need, "stale"))
    return Joint(diff=diff, with_stories=need)


def needs_words(stories: tuple[Explanation, ...] | list[Explanation], need: tuple[int, ...], why: str) -> str:
    """The refusal: the fixes it compiles only beside, by `--apply` number, and why no joint patch."""
    them = " and ".join(f"story #{j + 1}'s first fix (`rusta explain --apply {j + 1}`)" for j in need)
    cause = (
        "their edits overlap, so no one patch holds both"
        if why == "overlaps"
        else "the files changed since the check, so the pair cannot be written as checked"
    )
    return f"its ✓ holds only beside {them}, and {cause}; apply that fix first, then explain again"


def joint_words(need: tuple[int, ...]) -> str:
    """The line that says what landed beside the picked fix: the pair is one patch, one undo."""
    if not need:
        return ""
    them = " and ".join(f"story #{j + 1}'s first fix" for j in need)
    return f"It landed together with {them}, which it compiles only beside: one patch, one `rusta undo`."
