"""Checks each code-showing option of a story in a scratch copy of the crate, and remembers the answer.

An option compiles when, with its edits applied, the story's error (or warning) is gone and no error
took its place: every error left was already there, or is a later-phase error (borrowck runs only once
types check) reported away from the lines the edit wrote. When a resolve or type error (one with a
code) goes and rustc then reports another of its phase away from those lines (one the first error
hid, or the same mistake elsewhere), the option "uncovers" it: it works for this error, without ✓.
Anything else fails and is no longer shown as a fix; the compiler's new error (or "the error stays")
is kept as `fails_because`, so the CLI can say why rustc's own suggestion does not work here. A check
that could not finish (timeout, cargo missing) leaves the option "not-checked".

That answer is whole only when the edit leaves no error of an earlier phase behind: rustc skips
borrow checking in a body that still has one. An option that does is "type-checks" after its own
trial only when none of those errors sits at the story's own place or on a line the edit wrote (one
there means the edit does not type-check: it fails), and is then checked together with the best
fix of each story that owns such an error (`engine.explain.joint`); only that joint build can make it "compiles". Errors that appear only with
the edit in are counted as new (`errors_new`), never among the errors that remain.

A fix that leaves the whole crate compiling is then run through the crate's tests in the same copy
(`engine.explain.testing`): compiling is not working, so a fix that breaks a test loses its ✓. A fix
that leaves another story's error is tested only in the set of the stories' lead fixes, bisected when
that set fails (`engine.explain.set_tests`); its story is answered once that set ran.

`rusta explain` runs it after the stories' text is on screen (not with `--no-validate`); the app
calls `validate` from a worker, with `cancel` and `on_story`. Verdicts are cached on disk (`engine.explain.verdict_cache`) by the bytes of the files the edit touches, the edit's id and
the story's errors, so a second run over unchanged files costs no cargo run. The scratch copy is
Rusta's own (never the user's tree, never the repair engine's copy) and one validation runs at a time
per crate, across processes.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterable
from pathlib import Path

import msgspec

from diary.worktree import file_lock
from engine.explain import (
    chain,
    cleared_by,
    joint,
    patchwords,
    ranking,
    retract,
    rustc_alone,
    siblings,
    testing,
)
from engine.explain import options as opts
from engine.explain.errors import ExplainError
from engine.explain.followons import also_cleared, follow_ons, one_edit_places, shared_fix
from engine.explain.joint import Key
from engine.explain.set_tests import SetJudge
from engine.explain.trials import Trials, reveals, trials_dir
from engine.explain.types import Explanation, PatchOption
from engine.explain.verdict_cache import CACHE_VERSION, CachedVerdict, cache_key, cached, remember
from engine.repair.errors import RepairError


class ValidationRun(msgspec.Struct, frozen=True, kw_only=True):
    """The explanations with their options checked, and what it cost."""

    explanations: tuple[Explanation, ...]
    checked: int = 0  # cargo runs for options (the baseline not counted)
    cached: int = 0  # verdicts read from the cache
    wall_s: float = 0.0  # the whole added latency, sync and baseline included
    check_s: tuple[float, ...] = ()  # each option's own cargo run
    # per story (in order), the options that failed, each with `fails_because`
    failed: tuple[tuple[PatchOption, ...], ...] = ()
    # the stories' lead ✓ fixes applied at once (when two or more, none overlapping): how many, and
    # "compiles" or the compiler's first new error; "" when not checked
    set_size: int = 0
    set_verdict: str = ""
    set_stories: tuple[int, ...] = ()  # the stories (0-based) whose lead fixes made the set


# a marker among a set check's companions, so its cache key never meets a joint check's
_SET = PatchOption(id="lead-set", name="", edits=(), patch="", shows=(), file="", line=0, source="rusta")


def _read(root: Path, rel: str) -> bytes | None:
    p = (root / rel).resolve()
    return p.read_bytes() if p.is_relative_to(root) and p.is_file() else None


def validate(
    explanations: Iterable[Explanation],
    crate_root: str | Path,
    *,
    cancel: threading.Event | None = None,
    on_story: Callable[[int, Explanation], None] | None = None,
    on_failed: Callable[[int, tuple[PatchOption, ...]], None] | None = None,
) -> ValidationRun:
    """Every story's options checked in the scratch copy (or read from the cache), failed ones removed.

    `on_story(i, explanation)` is called as each story is done, so the app can show each answer as
    it arrives; `on_failed(i, options)` just before it, with the story's failed options (each with
    its `fails_because`), so the CLI can say why rustc's own suggestion does not compile. A story
    with an option that only type-checks alone, or that failed on a line another story's fix
    rewrites, is answered after every story's own trials, once its joint check has run.
    """
    t0 = time.monotonic()
    root = Path(crate_root).resolve()
    stories = tuple(_announced(e) for e in explanations)
    run = _Run(root, cancel)
    out: list[Explanation] = []
    failed: list[tuple[PatchOption, ...]] = []
    waiting: list[int] = []
    deferred: list[int] = []  # answered, told once the set of lead fixes ran the tests

    def answer(i: int) -> None:
        fixes = tuple(_reached(root, run.clears(i, o, list(stories))) for o in out[i].fixes)
        told = patchwords.settle(msgspec.structs.replace(out[i], fixes=fixes), lambda rel: _read(root, rel))
        out[i] = run.tested(told)
        if not run._stopped() and out[i].fixes and out[i].fixes[0].tests_run == "passed":
            out[i] = rustc_alone.judged(root, out[i], run.get_tester())
        lead = out[i].fixes[0] if out[i].fixes else None
        if lead is not None and lead.validated == "compiles" and not testing.testable(lead):
            deferred.append(i)  # its tests can run only beside the other stories' fixes: the set decides
        else:
            emit(i)

    def emit(i: int) -> None:
        out[i] = retract.retracted(out[i], failed[i])  # advice a failed option disproved is taken back
        if on_failed is not None:
            on_failed(i, failed[i])
        if on_story is not None:
            on_story(i, out[i])

    sibs = siblings.groups(stories, [e.fixes for e in stories])
    members = {i for g in sibs for i in g}  # answered once their union was checked
    with file_lock(trials_dir(root).with_suffix(".lock")):
        for i, e in enumerate(stories):
            checked = [run.spelled(i, e, o) for o in e.fixes]
            checked += run.finished(i, e, checked)
            out.append(msgspec.structs.replace(e, fixes=ranking.rank(checked)))
            failed.append(tuple(o for o in checked if o.validated == "fails"))
            if any(run.waits(i, o) for o in checked):
                waiting.append(i)
            elif i not in members:
                answer(i)
        for i in waiting:
            checked = [run.together(i, o, out) for o in (*out[i].fixes, *failed[i])]
            checked += run.finished(i, stories[i], checked, rest=True)
            out[i] = msgspec.structs.replace(out[i], fixes=ranking.rank(checked))
            failed[i] = tuple(o for o in checked if o.validated == "fails")
            if i not in members:
                answer(i)
        for g in sibs:
            run.siblings(g, stories, out, failed)
            for i in g:
                answer(i)
        leads = joint.lead_set(out)
        idx = tuple(i for i, e in enumerate(out) if leads and e.fixes and e.fixes[0] in leads)
        verdict = run.as_set(stories[0], leads) if leads else ""
        if verdict == "compiles" and not run._stopped():  # the set builds: do the tests still pass?
            verdict = SetJudge(run.get_tester(), out, idx).verdict()
        for i in deferred:
            emit(i)
    out = cleared_by.rooted(out, lambda rel: _read(root, rel))  # after every story's answer
    return ValidationRun(
        explanations=tuple(out),
        checked=run.checked,
        cached=run.cached,
        wall_s=time.monotonic() - t0,
        check_s=tuple(run.durations),
        failed=tuple(failed),
        set_size=len(leads),
        set_verdict=verdict,
        set_stories=idx,
    )


def _announced(e: Explanation) -> Explanation:
    """The story with each option (and its plain spelling) marked with the id it was announced
    under: the checks rewrite ids (a spelling, steps), and the count line has to follow each one."""

    def mark(o: PatchOption, origin: str) -> PatchOption:
        plain = tuple(mark(p, origin) for p in o.plain)
        return msgspec.structs.replace(o, origin=o.origin or origin, plain=plain)

    return msgspec.structs.replace(e, fixes=tuple(mark(o, o.id) for o in e.fixes))


def _reached(root: Path, o: PatchOption) -> PatchOption:
    """A compiling option with whether a test can run the fn its first edit is in: a ✓ alone would
    read as "behaviour checked" on a crate with no tests or a fn no test calls."""
    if o.validated != "compiles" or not o.edits:
        return o
    from engine.syntax.test_reach import reach

    first = o.edits[0]
    r = reach(root, first.file, first.start)
    if r is None:
        return o
    return msgspec.structs.replace(o, test_reach=r.kind, reach_fn=r.fn, reach_test=r.test)


class _Run:
    """One `validate` call: the trials (set up on the first cache miss), the counts, and what each
    option's joint check needs (the errors it waits on, where it failed)."""

    def __init__(self, root: Path, cancel: threading.Event | None) -> None:
        self.root, self.cancel = root, cancel
        self.trials: Trials | None = None
        self.tester: testing.Tester | None = None
        self.checked = self.cached = 0
        self.durations: list[float] = []
        self.hiding: dict[tuple[int, str], tuple[Key, ...]] = {}
        self.fails_at: dict[tuple[int, str], tuple[str, int]] = {}
        self.cleared: dict[tuple[int, str], tuple[Key, ...]] = {}
        # per story and option, a fix whose check reveals errors: its cache key, verdict, option
        self.reveals: dict[tuple[int, str], tuple[str, CachedVerdict, PatchOption]] = {}

    def clears(self, i: int, o: PatchOption, stories: list[Explanation]) -> PatchOption:
        """The option with the other stories it clears named, when it works for its own error."""
        o = msgspec.structs.replace(o, places=one_edit_places(stories[i], o))
        keys = self.cleared.get((i, o.id), ())
        if not keys or o.validated not in ("compiles", "uncovers"):
            return o
        return msgspec.structs.replace(
            o,
            clears=follow_ons(stories, i, o, keys, self._read),
            shares=shared_fix(stories, i, o, keys),
            also_clears=also_cleared(stories, i, o, keys, self._read),
        )

    def _read(self, rel: str) -> bytes | None:
        """A file of the crate as the stories saw it, for the syntax questions of `follow_ons`."""
        try:
            return (self.root / rel).read_bytes()
        except OSError:
            return None

    def get_tester(self) -> testing.Tester:
        if self.tester is None:
            trials = self._trials()
            if not trials.synced:  # a run the verdict cache answered has not copied the crate yet
                trials.ws.sync()
                trials.synced = True
            self.tester = testing.Tester(self.root, trials, self.cancel)
        return self.tester

    def tested(self, e: Explanation) -> Explanation:
        """The story with its shown whole-crate fixes run through the crate's tests (`testing`)."""
        if self._stopped() or not any(testing.testable(o) for o in e.fixes):
            return testing.cursors(self.root, e)
        try:
            return testing.cursors(self.root, self.get_tester().story(e))
        except RepairError as err:
            raise ExplainError(str(err)) from err

    def _trials(self) -> Trials:
        self.trials = self.trials or Trials(self.root, self.cancel)
        return self.trials

    def _stopped(self) -> bool:
        return self.cancel is not None and self.cancel.is_set()

    def waits(self, i: int, o: PatchOption) -> bool:
        """Whether the option's verdict is whole only after a joint check."""
        return o.validated == "type-checks" or (i, o.id) in self.fails_at

    def alone(self, i: int, e: Explanation, o: PatchOption) -> PatchOption:
        """The option's own trial (or its cached verdict)."""
        if self._stopped():
            return o
        key = cache_key(self.root, e, o)
        verdict = cached(key)
        took = 0.0
        if verdict is not None:
            self.cached += 1
        else:
            try:
                verdict = self._trials().trial(e, o)
            except RepairError as err:
                raise ExplainError(str(err)) from err
            self.checked += 1
            self.durations.append(verdict.check_s if verdict else 0.0)
            if verdict is None:
                return opts.with_state(o, "not-checked", 0.0)
            took = verdict.check_s
            remember(key, verdict)
        if reveals(verdict):
            self.reveals[(i, o.id)] = (key, verdict, o)
        return self._known(i, o, verdict, took)

    def finished(
        self, i: int, e: Explanation, alone: list[PatchOption], rest: bool = False
    ) -> list[PatchOption]:
        """The story's fixes finished in steps, looked for only when no fix of one step compiles
        with nothing new (fewer changes say the same); their cargo runs are counted as checks."""
        # a kind of fix (borrow, clone) with no one-step fix that compiles is finished too, so a way
        # out of that kind is never said not to hold when its next step would have made it compile
        # (`rest`: after the joint checks, which may rescue it beside another story's fix first)
        covered = {o.kind for o in alone if o.validated == "compiles" and not o.errors_new}
        if bool(covered) != rest:  # with none covered, the first pass finished them all
            return []
        out = []
        for o in alone:
            if (i, o.id) not in self.reveals or self._stopped():
                continue
            if covered and (o.kind in covered or o.kind == "other" or o.validated != "fails"):
                continue
            key, verdict, asked = self.reveals[(i, o.id)]
            if not verdict.chained:
                try:
                    found, runs = self._trials().finish(e, asked)
                except RepairError as err:
                    raise ExplainError(str(err)) from err
                self.checked += runs
                verdict = msgspec.structs.replace(verdict, finished=found, chained=True)
                remember(key, verdict)
            if (f := verdict.finished) is not None:
                for way in (f, *f.others):  # each way out of the last step's error, checked
                    out.append(
                        self._known(
                            i,
                            patchwords.finished(chain.as_option(o, way), self._read),
                            way.verdict,
                            way.verdict.check_s,
                        )
                    )
        return out

    def spelled(self, i: int, e: Explanation, o: PatchOption) -> PatchOption:
        """`alone`, for a fix written in the repo's style: when the rendering fails, the original
        spelling (rustc's or the template's) is tried and shown in its place, as `rusta fix` falls
        back on it; both failing, the original's failure is the one told."""
        done = msgspec.structs.replace(self.alone(i, e, o), plain=())
        if done.validated != "fails" or not o.plain:
            return done
        return self.alone(i, e, o.plain[0])

    def siblings(
        self,
        g: list[int],
        stories: tuple[Explanation, ...],
        out: list[Explanation],
        failed: list[tuple[PatchOption, ...]],
    ) -> None:
        """Sibling stories (`engine.explain.siblings`): their rustc suggestions checked as one edit;
        when it works, it leads each sibling's fixes and none of the parts is told as failing."""
        parts = [siblings.rustc_fix((*out[i].fixes, *failed[i])) for i in g]
        if any(p is None for p in parts) or all(p.validated == "compiles" for p in parts):  # type: ignore[union-attr]
            return
        whole = siblings.union(parts, lambda rel: _read(self.root, rel))  # type: ignore[arg-type]
        if whole is None:
            return
        done = self.alone(g[0], siblings.joined(stories, g), whole)
        if done.validated not in ("compiles", "type-checks"):
            return
        ids = {p.id for p in parts if p is not None}
        for i in g:
            rest = tuple(f for f in out[i].fixes if f.id not in ids)
            out[i] = msgspec.structs.replace(out[i], fixes=(done, *rest))
            failed[i] = tuple(f for f in failed[i] if f.id not in ids and f.source != "rustc")

    def _known(self, i: int, o: PatchOption, verdict: CachedVerdict, took: float) -> PatchOption:
        self.hiding[(i, o.id)] = verdict.hiding
        self.cleared[(i, o.id)] = verdict.cleared
        if verdict.fails_at is not None:
            self.fails_at[(i, o.id)] = verdict.fails_at
        done = opts.with_state(o, verdict.validated, took, verdict.errors_left, verdict.reason)
        return msgspec.structs.replace(
            done,
            errors_new=verdict.errors_new,
            first_error=verdict.first_error,
            hidden_new=verdict.hidden_new,
            left_in_edit=verdict.left_in_edit,
        )

    def as_set(self, e: Explanation, leads: tuple[PatchOption, ...]) -> str:
        """The lead fixes applied at once: "compiles", or the compiler's first new error ("" when
        the check could not finish). Cached under the set's ids and the bytes of the files."""
        if self._stopped():
            return ""
        key = cache_key(self.root, e, leads[0], (*leads[1:], _SET))
        verdict = cached(key)
        if verdict is not None:
            self.cached += 1
            return "compiles" if verdict.validated == "compiles" else verdict.reason
        try:
            state, why, took = self._trials().set_trial(e, leads)
        except RepairError as err:
            raise ExplainError(str(err)) from err
        self.checked += 1
        self.durations.append(took)
        if state == "not-checked":
            return ""
        remember(key, CachedVerdict(version=CACHE_VERSION, validated=state, check_s=took, reason=why))
        return "compiles" if state == "compiles" else why

    def together(self, i: int, o: PatchOption, stories: list[Explanation]) -> PatchOption:
        """A "type-checks" option checked with the companions that fix what its verdict waits on; a
        failed one with the other story's fix that rewrites the line where it failed."""
        if self._stopped() or not self.waits(i, o):
            return o
        if o.validated == "type-checks":
            keys = self.hiding.get((i, o.id), ())
            others = joint.companions(i, o, keys, stories) if keys else None
        else:
            meets = joint.rewriter(i, o, self.fails_at[(i, o.id)], stories)
            others = (meets,) if meets is not None else None
        e = stories[i]
        if not others:  # a lint's fix beside errors that no fix shown touches: its own verdict stands
            return opts.with_state(o, "compiles", o.check_s, o.errors_left) if joint.is_lint(e) else o
        key = cache_key(self.root, e, o, others)
        verdict = cached(key)
        if verdict is not None:
            self.cached += 1
        else:
            t0 = time.monotonic()
            try:
                state, why, left = self._trials().joint_trial(e, o, others)
            except RepairError as err:
                raise ExplainError(str(err)) from err
            took = time.monotonic() - t0
            self.checked += 1
            self.durations.append(took)
            verdict = CachedVerdict(
                version=CACHE_VERSION, validated=state, check_s=took, errors_left=left, reason=why
            )
            remember(key, verdict)
        if o.validated == "fails":  # retried beside the fix it met: only a compiling set changes it
            if verdict.validated != "compiles":
                return o
            lines = tuple(dict.fromkeys(ln.strip() for c in others for ln in c.shows))
            done = opts.with_state(o, "compiles", o.check_s, verdict.errors_left)
            return msgspec.structs.replace(done, together_with=lines)
        return opts.with_state(o, verdict.validated, o.check_s, o.errors_left, verdict.reason)
