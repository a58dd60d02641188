"""The count line under the checked fixes: what became of each fix "Checking N fixes" announced.

One list of outcomes per story decides every number the line prints: each announced fix gets one
fate (shown, left out here, repeats an edit shown, did not compile, dropped), so the fates add up to
the number checked; "shown" is the fix lines the mode prints (pair: each story's lead, unless an
earlier story printed the same edit; study: each edit once), and a shown fix no announced one
accounts for (a second way to finish it, one written while checking) is named as such. A fix keeps
the id it was announced under in `PatchOption.origin` through its other spellings and its form
finished in steps. The mistake it answers is a header and a list that count different things with
nothing to reconcile them ("4 fixes checked, 2 shown: 3 did not compile").
"""

from __future__ import annotations

from typing import Literal, NamedTuple

from engine.explain.types import Explanation, PatchOption
from modes.rendering import Line
from modes.verdicts import distinct

Fate = Literal["shown", "quiet", "twice", "failed", "dropped"]


class Tally(NamedTuple):
    """The outcomes of one story's announced fixes, and what its fix lines show."""

    fates: tuple[Fate, ...]  # one per announced fix, in the order announced
    visible: int  # the fix lines the mode prints for the story
    steps: int  # announced fixes shown only in their form finished in steps
    extra_steps: int  # shown fixes that are a second, finished form of one already counted
    extra: int  # shown fixes written while checking, no announced fix behind them


def _key(o: PatchOption) -> str:
    return o.origin or o.id


def visible(e: Explanation, mode: str, earlier: set[str]) -> list[PatchOption]:
    """The fixes printed as fix lines: pair's lead (an edit an earlier story printed is only pointed
    at, `modes.verdicts.pair_verdict_lines`), study's every edit once. `earlier` is filled in."""
    if mode != "pair":
        return list(distinct(e.fixes))
    if not e.fixes:
        return []
    lead = e.fixes[0]
    if lead.patch in earlier:
        return []
    earlier.add(lead.patch)
    return [lead]


def tally(
    pre: Explanation, e: Explanation, failed: tuple[PatchOption, ...], mode: str, earlier: set[str]
) -> Tally:
    """`pre`: the story as announced; `e`, `failed`: as the check returned it."""
    shown = visible(e, mode, earlier)
    each = {o.id for o in distinct(e.fixes)}
    fates: list[Fate] = []
    steps = 0
    counted: set[str] = set()  # the shown fixes that account for an announced one
    for a in (o.id for o in pre.fixes):
        mine = [o for o in e.fixes if _key(o) == a]
        # the announced form itself when shown, else the first form that finished it
        seen = sorted((o for o in shown if _key(o) == a), key=lambda o: o.id != a)
        if seen:
            fates.append("shown")
            counted.add(seen[0].id)
            steps += bool(seen[0].steps) and seen[0].id != a
        elif mine:
            # an edit printed already (above, or by an earlier story) is a repeat; another is left out
            new = any(o.id in each and o.patch not in earlier for o in mine)
            fates.append("quiet" if new else "twice")
        else:
            fates.append("failed" if any(_key(o) == a for o in failed) else "dropped")
    rest = [o for o in shown if o.id not in counted]
    extra_steps = sum(bool(o.steps) for o in rest)
    return Tally(tuple(fates), len(shown), steps, extra_steps, len(rest) - extra_steps)


def _plural(n: int, one: str, many: str) -> str:
    return f"{n} {one if n == 1 else many}"


def count_line(
    announced: list[Explanation],
    checked: list[tuple[Explanation, tuple[PatchOption, ...]]],
    mode: str,
    left: int = 0,
) -> Line | None:
    """The line, or None when every announced fix is shown and nothing else is. `announced`: the
    stories as sent to the check; `left`: the fixes of warnings told in one line while the crate
    has errors (announced, never checked)."""
    earlier: set[str] = set()
    tallies = [tally(pre, e, bad, mode, earlier) for pre, (e, bad) in zip(announced, checked, strict=True)]
    fates = [f for t in tallies for f in t.fates]
    total = len(fates) + left
    shown = sum(t.visible for t in tallies)
    n = {k: fates.count(k) for k in ("failed", "quiet", "twice", "dropped")}
    steps = sum(t.steps for t in tallies)
    extra_steps = sum(t.extra_steps for t in tallies)
    extra = sum(t.extra for t in tallies)
    parts = [f"{_plural(left, 'is', 'are')} for warnings left until the errors are fixed"] if left else []
    if n["failed"]:
        parts.append(f"{n['failed']} did not compile")
    if q := n["quiet"]:
        parts.append(
            f"{_plural(q, 'is', 'are')} left out here (--mode study shows {'it' if q == 1 else 'them'})"
        )
    if n["twice"]:
        parts.append(f"{_plural(n['twice'], 'repeats', 'repeat')} an edit shown")
    if n["dropped"]:
        parts.append(f"{_plural(n['dropped'], 'was', 'were')} dropped by the check")
    if steps:
        parts.append(
            f"{_plural(steps, 'fix', 'fixes')} shown {'is' if steps == 1 else 'are'} finished in steps"
        )
    if extra_steps:
        were = "is" if extra_steps == 1 else "are"
        parts.append(f"{extra_steps} more shown {were} a checked one finished in steps")
    if extra:
        parts.append(f"{extra} more shown {'was' if extra == 1 else 'were'} written while checking")
    if not parts or (parts == [parts[-1]] and steps and shown == total):
        return None  # every announced fix is shown, one by one (a finished form is still that fix)
    head = f"{_plural(total, 'fix', 'fixes')} checked, {shown} shown"
    return Line(f"({head}: {'; '.join(parts)}).", "dim")
