"""Runs the crate's own tests on a fix that makes the whole crate compile, so ✓ means "still works".

The mistake it answers: a fix that compiles can still change what the program does. Taking an item
out of a vector (`remove(i)`) that a cursor reads by index, or sending a buffer's clone and never
clearing it, type-checks and breaks the crate's test. Compiling in the scratch copy proves only the
first half, so a fix that leaves no error in the crate (none left, none new) is also run through
`cargo test` there: one run per distinct resulting tree (cached on disk by the bytes of every file),
under a hard timeout. A test that fails with it and did not already fail at the last green state
(`engine.repair.baseline`, when there is one) is named in `tests_failed`; the fix loses its ✓ and
is ranked below the fixes whose tests pass (`ranking.rank`).

Only the fixes that are shown are tested: per story, in rank order, until one passes (at most
`PER_STORY`), so a story whose first fix breaks a test tries the next one before showing it. The
other whole-crate fixes are not run through `cargo test` (but for up to `LEAD_EXTRA` more when every
fix tried failed its tests and an untested one would lead): each distinct tree is a test build of its
own (seconds each on a small crate), and a story with six compiling fixes would pay for five builds
nobody asked about before the lead. Their tests were not run, so they are marked `untested` and
lose the ✓ (`PatchOption.ticked`): the mistake this answers is a ✓ beside a fix whose tests
never ran, read as "the tests pass with it" like the lead's. They say "compiles; tests not run".

A shown fix whose tests start and do not finish within `TEST_TIMEOUT_S` (counted from libtest's
first `running N tests`, so a slow build is not a hang) is a verdict of its own, "timeout": the tests
ran that long, so "tests not run" would be false (review E: a `MutexGuard` named to live to the end of
the block, locked again on the next line, deadlocked the test, and the fix read as merely untested).
It is cached like a pass, so the next run does not wait on the hang again.
"""

from __future__ import annotations

import hashlib
import threading
from pathlib import Path

import msgspec

from engine.explain import ranking
from engine.explain.linting import Linter
from engine.explain.trials import Trials
from engine.explain.types import Explanation, PatchOption
from engine.repair import baseline as base
from engine.repair.errors import RepairError
from engine.repair.types import Baseline
from engine.syntax.test_reach import has_tests
from toolbelt.cargo_run import run_test
from toolbelt.errors import ToolbeltError
from toolbelt.paths import writable_cache_dir
from toolbelt.types import TestResult

TEST_TIMEOUT_S = 60.0  # one `cargo test` of one fix; in hangs mode, the tests' own running
BUILD_S = 120.0  # in hangs mode, the build before the tests start, beside their own bound
PER_STORY = 3  # fixes tested per story, in rank order, until one passes
LEAD_EXTRA = 2  # more runs, when all of those failed, so that an untested fix does not lead


class TestVerdict(msgspec.Struct, frozen=True):
    """`status`: "passed", "failed" (`failed` names the tests), or "not-run" (timeout, build error);
    "timeout" only from `Tester.run(..., hangs=True)`: a test binary ran and did not finish."""

    status: str
    failed: tuple[str, ...] = ()
    ran: int = -1  # tests that ran; -1 in verdicts cached before it was kept. 0: nothing to pass
    # where each failed test panicked (file relative to the crate, line), as libtest reports it: a
    # line one fix of a set wrote names that fix (`engine.explain.set_tests`)
    at: tuple[tuple[str, int], ...] = ()
    hung_s: float = 0.0  # "timeout": how long the tests ran without finishing


_DEC = msgspec.json.Decoder(TestVerdict)


def _home() -> Path:
    return writable_cache_dir() / "explain-validation" / "tests-v2"  # v2: verdicts carry `at`


def _tree_key(trials: Trials) -> str:
    h = hashlib.sha256()
    for rel in sorted(trials.ws.files()):
        data = trials.ws.read(rel)
        h.update(rel.encode() + b"\0" + (data or b"") + b"\0")
    return h.hexdigest()[:32]


def testable(o: PatchOption) -> bool:
    """A fix after which the whole crate compiles: the only state in which the tests can run."""
    return o.validated == "compiles" and not o.errors_left and not o.errors_new and bool(o.edits)


class Tester:
    """The tests of one explain run: the scratch copy, the baseline (read once, only on a failure)."""

    def __init__(self, root: Path, trials: Trials, cancel: threading.Event | None) -> None:
        self.root, self.trials, self.cancel = root, trials, cancel
        self._baseline: Baseline | None = None
        self._loaded = False
        self.runs = 0
        self.linter = Linter(trials, cancel)

    def verdict(self, o: PatchOption) -> TestVerdict:
        return self.run(o.edits, timeout_s=TEST_TIMEOUT_S, hangs=True)

    def run(self, edits: tuple, *, timeout_s: float = TEST_TIMEOUT_S, hangs: bool = False) -> TestVerdict:
        """`hangs`: `timeout_s` bounds the tests' running from their first `running N tests` (the
        build gets `BUILD_S` more), and a run that bound stops is the verdict "timeout" (cached under
        its own key, since another bound may see it finish), not "not-run": the tests built, ran that
        long, and did not finish. A pass or a failure is cached under the tree alone: any bound that
        let it finish agrees on it."""
        saved = self.trials.ws.try_edits(edits)
        try:
            plain = _tree_key(self.trials)
            hung = f"{plain}-hangrun{timeout_s:.0f}"
            for key in (plain, hung) if hangs else (plain,):
                try:
                    return _DEC.decode((_home() / f"{key}.json").read_bytes())
                except (OSError, msgspec.DecodeError, msgspec.ValidationError):
                    pass
            try:
                rep = (
                    run_test(
                        self.trials.ws.root,
                        timeout_s=timeout_s + BUILD_S,
                        run_timeout_s=timeout_s,
                        cancel=self.cancel,
                    )
                    if hangs  # `timeout_s` bounds the tests' own running, never their build
                    else run_test(self.trials.ws.root, timeout_s=timeout_s, cancel=self.cancel)
                )
            except ToolbeltError:
                return TestVerdict(status="not-run")
            self.runs += 1
        finally:
            self.trials.ws.revert(saved)
        key = plain
        if rep.status == "passed":
            v = TestVerdict(status="passed", ran=len(rep.tests))
        elif rep.status == "failed":
            failed = [t for t in rep.tests if t.status == "failed"]
            at = tuple(sorted({(f.file, f.line) for t in failed if (f := t.failure) is not None and f.file}))
            v = TestVerdict(status="failed", failed=tuple(t.name for t in failed), at=at)
        elif (
            hangs and rep.status == "timeout" and rep.process is not None and rep.process.outcome == "killed"
        ):
            # "killed" with "timeout": the run bound fired (the whole limit is "timeout", a cancel "error")
            v, key = TestVerdict(status="timeout", hung_s=timeout_s), hung
        else:
            return TestVerdict(status="not-run")  # the build ran out of time: the next run may finish
        _home().mkdir(parents=True, exist_ok=True)
        (_home() / f"{key}.json").write_bytes(msgspec.json.encode(v))
        return v

    def linted(self, fixes: list[PatchOption]) -> list[PatchOption]:
        """The first `PER_STORY` whole-crate fixes, in rank order, with the lints each adds, each
        after its slice form when it writes a `&Vec<T>` parameter that form does without."""
        out: list[PatchOption] = []
        n = 0
        for o in fixes:
            if not testable(o) or n >= PER_STORY or (self.cancel is not None and self.cancel.is_set()):
                out.append(o)
                continue
            n += 1
            out.extend(x for x in self.linter.marked(o) if all(x.id != y.id for y in fixes) or x.id == o.id)
        return out

    def blamed(self, failed: tuple[str, ...]) -> tuple[str, ...]:
        """The failing tests that did not already fail at the last green state."""
        if not self._loaded:
            self._loaded = True
            try:
                self._baseline = base.load(self.root, cancel=self.cancel)
            except RepairError:
                self._baseline = None
        new, _old = base.judge(
            (TestResult(name=n, status="failed") for n in failed),
            self._baseline,
        )
        return new

    def story(self, e: Explanation) -> Explanation:
        """The story's fixes with the shown ones tested, re-ranked: a fix that breaks a test loses
        its place to one whose tests pass. The same few are linted first (`engine.explain.linting`)
        and re-ranked, so a fix that adds no clippy lint is the one tested and shown first."""
        from engine.explain.guard_marks import marked

        # a fix that holds a guard a later line takes again deadlocks: never worth a test run
        fixes = list(ranking.rank(self.linted(list(marked(self.root, e).fixes))))
        tried, done = 0, False
        for i, o in enumerate(fixes):
            if not testable(o) or o.test_reach == "no-tests" or o.tests_run or o.relocks:
                continue
            if done or tried >= PER_STORY or self._cancelled():
                fixes[i] = msgspec.structs.replace(o, untested=True)
                continue
            tried += 1
            fixes[i], done = self._judged(o)
        # every fix tried failed its tests, and an untested one now leads: pair mode would show (and
        # --apply take) a fix nobody ran ahead of the tested ones (review O, o09). It is run too.
        ranked = list(ranking.rank(fixes))
        for _ in range(LEAD_EXTRA):
            lead = ranked[0] if ranked else None
            if (
                done
                or lead is None
                or not lead.untested
                or not testable(lead)
                or lead.relocks
                or self._cancelled()
            ):
                break
            ranked[0], done = self._judged(msgspec.structs.replace(lead, untested=False))
            ranked = list(ranking.rank(ranked))
        return msgspec.structs.replace(e, fixes=tuple(ranked))

    def _cancelled(self) -> bool:
        return self.cancel is not None and self.cancel.is_set()

    def _judged(self, o: PatchOption) -> tuple[PatchOption, bool]:
        """The fix with its test verdict, and whether it settles the story (its tests pass)."""
        v = self.verdict(o)
        if v.status == "not-run":
            return msgspec.structs.replace(o, untested=True), False
        if v.status == "timeout":  # a fact like a failure: no ✓, ranked down, the next one tried
            return msgspec.structs.replace(o, tests_run="timeout", hung_s=v.hung_s), False
        if v.status == "passed" and v.ran == 0:  # a green run of no test says nothing
            return msgspec.structs.replace(o, test_reach="no-tests"), True
        bad = self.blamed(v.failed) if v.status == "failed" else ()
        o = msgspec.structs.replace(o, tests_run="failed" if bad else "passed", tests_failed=bad)
        return o, not bad and not o.rewrites_tests  # tests it rewrote prove nothing: try the next


def unrun(root: Path, e: Explanation) -> Explanation:
    """The story with each fix that clears its error while others stay marked `untested`: the crate
    does not build with it alone, so its tests could not run, and a ✓ there would read as "tests
    pass" like a set-tested lead's. The set of lead fixes (`engine.explain.set_tests`) runs later and
    clears the mark on each fix it tests. A crate without tests (`no-tests`) has nothing to run: its
    ✓ says compiles; an edit in no fn (a field's type) asks whether the package has tests at all."""
    fixes = tuple(
        msgspec.structs.replace(o, untested=True)
        if o.validated == "compiles"
        and o.errors_left
        and not o.errors_new
        and not o.tests_run
        and (o.test_reach in ("reached", "unreached") or (not o.test_reach and has_tests(root, o.file)))
        else o
        for o in e.fixes
    )
    return msgspec.structs.replace(e, fixes=fixes) if fixes != e.fixes else e


def cursors(root: Path, e: Explanation) -> Explanation:
    """The story's last marks before it is told: each fix whose tests cannot run alone `untested`
    (`unrun`), each fix that names a lock guard with what holding it means (`guard_marks`), each transfer that no test settled marked when it takes from a cursor's slot
    (`engine.syntax.cursor`), and each transfer out of `v[i]` marked when a later removal from `v`
    may take a second element (`engine.syntax.repeated_removal`: not proven the same one, or kept by
    the fix), re-ranked so a fix that keeps the container whole goes first."""
    from engine.explain.guard_marks import marked
    from engine.syntax.cursor import advanced_index
    from engine.syntax.repeated_removal import removal_after_read

    e = marked(root, unrun(root, e))
    fixes = list(e.fixes)
    for i, o in enumerate(fixes):
        if not o.edits or not ranking.transfers(o):
            continue
        ed = o.edits[0]
        try:
            src = (root / ed.file).read_bytes()
        except OSError:
            continue
        key = advanced_index(src, ed.start, ed.end) if not o.tests_run else None
        if key:
            fixes[i] = msgspec.structs.replace(o, cursor=key)
        again = removal_after_read(src, ed.start, ed.end)
        if again is not None and not (again.proven and _deletes(o, ed.file, again.start, again.end)):
            why = again.why or "the fix keeps it"
            fixes[i] = msgspec.structs.replace(fixes[i], removal_unsure=f"`{again.text}` ({why})")
    return msgspec.structs.replace(e, fixes=ranking.rank(fixes)) if fixes != list(e.fixes) else e


def _deletes(o: PatchOption, file: str, start: int, end: int) -> bool:
    """Whether one of the option's edits deletes bytes [start, end) of `file`."""
    return any(
        ed.file == file and ed.start <= start and end <= ed.end and not ed.replacement for ed in o.edits
    )
