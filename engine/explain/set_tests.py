"""The crate's tests on the stories' lead fixes applied together, and which fix a failure is due to.

The general mistake it answers: blaming the set, or the fix being applied, for what one member
does. Fixes that each leave another story's error cannot be tested alone (the crate does not build),
so their ✓ rests on the set of lead fixes that builds; when that set fails a test, "together they
fail" names no culprit, and a later `--apply` of the innocent fix is refused for the other one's
breakage. So the set is bisected: each lead whose own run did not settle it is swapped for the next
fixes of its story (in rank order, each run cached by the tree's bytes); a swap after which the tests
pass proves the swapped-out lead is the one that breaks them and clears every fix in the passing set.
A lead whose own run passed keeps its ✓ and is never named. When no single swap passes, a failed
test that panicked on a line exactly one lead writes (libtest's file:line, in the tree with every lead
in) names that lead, and only it loses its ✓; otherwise the leads that no run cleared lose their ✓
together and the line says Rusta could not tell which one it is.
"""

from __future__ import annotations

from collections.abc import Callable

import msgspec

from engine import edits
from engine.explain import ranking
from engine.explain.testing import PER_STORY, Tester, TestVerdict
from engine.explain.types import Explanation, PatchOption
from engine.repair.types import Edit

SWAPS = 3  # next fixes tried per lead, in rank order
PASSED = "compiles; the crate's tests pass with them"  # the set verdict once they ran green


def _edits(fixes: list[PatchOption]) -> tuple[Edit, ...]:
    return tuple(ed for o in fixes for ed in o.edits)


def _overlaps(a: PatchOption, others: list[PatchOption]) -> bool:
    return any(
        x.file == y.file and x.start < y.end and y.start < x.end
        for b in others
        for x in a.edits
        for y in b.edits
    )


def _code(o: PatchOption) -> str:
    return next((ln.strip() for ln in o.shows if ln.strip()), o.name)


def _tests(bad: tuple[str, ...]) -> str:
    n = len(bad)
    them = ", ".join(f"`{t}`" for t in bad[:3]) + (f" and {n - 3} more" if n > 3 else "")
    return f"the crate's test{'s' if n > 1 else ''} {them} fail{'' if n > 1 else 's'}"


def _marked(o: PatchOption, run: str, bad: tuple[str, ...], beside: tuple[int, ...]) -> PatchOption:
    """The option with the set run that judged it; an own run (alone) is never overwritten."""
    if o.tests_run and not o.set_with:
        return o
    return msgspec.structs.replace(o, tests_run=run, tests_failed=bad, set_with=beside, untested=False)


def written_lines(
    read: Callable[[str], bytes | None], leads: list[PatchOption]
) -> list[set[tuple[str, int]]]:
    """The lines (file, line in the tree with every lead's edits in) each lead writes: where its
    replacement text lands, counted through the edits before it in the same file (`edits.written_lines`)."""
    every = _edits(leads)
    old = {f: read(f) or b"" for f in {ed.file for ed in every}}
    return [
        {(f, n) for f, lines in edits.written_lines(old, every, o.edits).items() for n in lines}
        for o in leads
    ]


class SetJudge:
    """One set of lead fixes (one per story in `idx`) through the crate's tests, bisected on failure."""

    def __init__(self, tester: Tester, out: list[Explanation], idx: tuple[int, ...]) -> None:
        self.tester, self.out, self.idx = tester, out, idx
        self.leads = [out[i].fixes[0] for i in idx]

    def _bad(self, v: TestVerdict) -> tuple[str, ...] | None:
        """The tests the set breaks (not failing at the last green state); None when none could run."""
        if v.status == "not-run":
            return None
        return self.tester.blamed(v.failed) if v.status == "failed" else ()

    def _set(self, i: int, o: PatchOption, bad: tuple[str, ...] | None, run: str) -> None:
        """Story i's fix `o` (by id) marked with a set run beside the other leads."""
        if bad is None:
            return
        beside = tuple(j for j in self.idx if j != i)
        fixes = [_marked(f, run, bad, beside) if f.id == o.id else f for f in self.out[i].fixes]
        self.out[i] = msgspec.structs.replace(self.out[i], fixes=ranking.rank(fixes))

    def linted(self) -> None:
        """Each story's first compiling fixes linted beside the other stories' leads (the crate builds
        only with them), each credited with the lints on the lines it writes, and re-ranked: a lead
        that adds a lint gives way to a fix that adds none (`engine.explain.linting`). A new set of
        leads is kept only when it builds; otherwise the stories stay as they were."""
        before = list(self.out)
        for k, i in enumerate(self.idx):
            rest = _edits(self.leads[:k] + self.leads[k + 1 :])
            fixes: list[PatchOption] = []
            n = 0
            for alt in self.out[i].fixes:
                if n >= PER_STORY or alt.validated != "compiles" or not alt.edits or alt.errors_new:
                    fixes.append(alt)
                    continue
                if _overlaps(alt, self.leads[:k] + self.leads[k + 1 :]):
                    fixes.append(alt)
                    continue
                n += 1
                ids = {f.id for f in self.out[i].fixes}
                fixes.extend(
                    x for x in self.tester.linter.marked(alt, rest) if x.id == alt.id or x.id not in ids
                )
            self.out[i] = msgspec.structs.replace(self.out[i], fixes=ranking.rank(fixes))
        leads = [self.out[i].fixes[0] for i in self.idx]
        if [o.id for o in leads] != [o.id for o in self.leads]:
            if not self.tester.linter.builds(_edits(leads)):
                self.out[:] = before
                return
        self.leads = leads

    def verdict(self) -> str:
        """The set's words for `modes.verdicts.set_line`, with the stories' fixes marked in `out`."""
        self.linted()
        leads = self.leads
        ran = self.tester.run(_edits(leads))
        bad = self._bad(ran)
        if bad is None:
            return "compiles"
        if not bad:
            for i, o in zip(self.idx, leads, strict=True):
                self._set(i, o, (), "passed")
            return PASSED if any(o.test_reach in ("reached", "unreached") for o in leads) else "compiles"
        for k, (i, lead) in enumerate(zip(self.idx, leads, strict=True)):
            if lead.tests_run == "passed" and not lead.set_with:
                continue  # its own run passed: never the culprit
            rest = leads[:k] + leads[k + 1 :]
            tried: list[tuple[PatchOption, tuple[str, ...]]] = []
            for alt in [f for f in self.out[i].fixes if f.id != lead.id][: SWAPS * 2]:
                if len(tried) >= SWAPS:
                    break
                if alt.validated != "compiles" or alt.tests_failed or not alt.edits or _overlaps(alt, rest):
                    continue
                got = self._bad(self.tester.run(_edits([*rest, alt])))
                if got is None:
                    break
                if got:
                    tried.append((alt, got))
                    continue
                return self._culprit(i, lead, alt, bad, tried)
        return self._unresolved(leads, bad, ran.at)

    def _culprit(
        self,
        i: int,
        lead: PatchOption,
        alt: PatchOption,
        bad: tuple[str, ...],
        tried: list[tuple[PatchOption, tuple[str, ...]]],
    ) -> str:
        """Story i's lead breaks the tests: with `alt` in its place they pass, so every other lead is clear."""
        for j, other in zip(self.idx, self.leads, strict=True):
            if j != i:
                self._set(j, other, (), "passed")
        self._set(i, alt, (), "passed")
        for o, got in tried:
            self._set(i, o, got, "failed")
        self._set(i, lead, bad, "failed")
        return f"{PASSED}; with #{i + 1}'s `{_code(lead)}` instead, {_tests(bad)}"

    def _unresolved(
        self, leads: list[PatchOption], bad: tuple[str, ...], at: tuple[tuple[str, int], ...] = ()
    ) -> str:
        """No single swap passes. A test that panicked on a line exactly one lead wrote names that
        lead (only it loses its ✓); else every lead that no run cleared loses its ✓, and is named."""
        wrote = written_lines(self.tester.trials.ws.read, leads)
        hit = [
            (k, place)
            for k, o in enumerate(leads)
            if not (o.tests_run == "passed" and not o.set_with)
            for place in at
            if place in wrote[k]
        ]
        if hit and len({k for k, _ in hit}) == 1:
            k, (file, line) = hit[0]
            self._set(self.idx[k], leads[k], bad, "failed")
            return (
                f"compiles; {_tests(bad)} with them, panicking at {file}:{line}, a line"
                f" #{self.idx[k] + 1}'s `{_code(leads[k])}` writes, so that fix breaks it"
            )
        named = []
        for i, o in zip(self.idx, leads, strict=True):
            if o.tests_run == "passed" and not o.set_with:
                continue
            named.append(f"#{i + 1}'s `{_code(o)}`")
            self._set(i, o, bad, "failed")
        who = ", ".join(named[:-1]) + f" or {named[-1]}" if len(named) > 1 else "".join(named) or "which fix"
        return (
            f"compiles; {_tests(bad)} with them, and swapping one fix for its story's next does not make"
            f" it pass, so Rusta cannot tell whether {who} breaks it"
        )
