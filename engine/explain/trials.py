"""The scratch copy an explain validation run tries options in, and the checks it remembers: the
baseline errors per check tool, the check each revealing fix left, and the time finishing fixes in
steps may still spend. Split from `engine.explain.validation`, whose run sets it up on the first
option the verdict cache cannot answer. Every build is kept by the tree it built, so a step that
finishes a fix reads the report of a tree this run already built instead of building it again.
"""

from __future__ import annotations

import hashlib
import threading
import time
from collections import Counter
from collections.abc import Callable
from pathlib import Path

import msgspec

from engine.edits import EditError, apply_edits, by_file
from engine.explain import blame, chain, joint
from engine.explain.dead_ends import left_in_edit
from engine.explain.followons import cleared
from engine.explain.joint import Key
from engine.explain.joint import counted as _counted
from engine.explain.judging import at as _at
from engine.explain.judging import judge, reason_words
from engine.explain.types import Explanation, PatchOption, Validation
from engine.explain.verdict_cache import CACHE_VERSION, CachedVerdict, Finished
from engine.explain.verdict_cache import tool as tool_of
from engine.patching.uncovered import hidden_behind
from engine.repair.errors import RepairError
from engine.repair.move_bounds import WAYS
from engine.repair.op_bounds import _param_name
from engine.repair.workspace import Workspace
from toolbelt.cargo_run import run_check
from toolbelt.diag_identity import distinct
from toolbelt.paths import writable_cache_dir
from toolbelt.types import CheckReport, CheckTool

CHAIN_BUDGET_S = 20.0  # seconds one validation run may spend finishing fixes in steps


def reveals(v: CachedVerdict) -> bool:
    """The fix cleared its error and the check shows new ones: the chain has a next step to look for."""
    if v.validated in ("compiles", "uncovers"):
        return v.errors_new > 0 or v.validated == "uncovers"
    return v.validated == "fails" and v.fails_at is not None and not v.reason.startswith("the error stays")


def trials_dir(root: Path) -> Path:
    key = hashlib.sha256(str(root.resolve()).encode()).hexdigest()[:16]
    return writable_cache_dir() / "explain-validation" / "scratch" / f"{root.name}-{key}"


class Trials:
    """The scratch copy and its baselines, set up on the first option the cache cannot answer."""

    def __init__(self, root: Path, cancel: threading.Event | None) -> None:
        self.ws = Workspace(root, trials_dir(root))
        self.cancel = cancel
        self.synced = False
        self.baselines: dict[str, Counter[Key]] = {}
        self.reports: dict[str, CheckReport] = {}
        self.chain_s = CHAIN_BUDGET_S  # what finishing fixes may still spend in this run
        self.afters: dict[str, CheckReport] = {}  # a revealing fix's check, by option id
        # each finished build by the tree it built (`_tree`): a later step that writes the same files
        # reads its report instead of running cargo again
        self.built: dict[tuple, CheckReport] = {}
        self.shared = 0  # builds answered from `built` in this run

    def baseline(self, tool: CheckTool) -> Counter[Key] | None:
        if not self.synced:
            self.ws.sync()
            self.synced = True
        if tool not in self.baselines:
            report = run_check(self.ws.root, tool=tool, cancel=self.cancel)
            if report.status in ("timeout", "error", "failed"):
                return None
            self.baselines[tool] = _counted(report)
            self.reports[tool] = report
            self.built[(tool,)] = report  # a step that writes the files back as they were builds this
        return self.baselines[tool]

    def trial(self, e: Explanation, o: PatchOption) -> CachedVerdict | None:
        """The option's verdict alone: how many errors the crate still has with the edit in, why it
        fails and where when it does, and, for "type-checks", the errors its whole verdict waits on.
        None when no verdict could be had (no baseline, a timeout)."""
        tool = tool_of(e)
        before = self.baseline(tool)
        if before is None:
            return None
        t0 = time.monotonic()
        try:
            after = self._check(o.edits, tool)
        except RepairError as err:
            return CachedVerdict(
                version=CACHE_VERSION,
                validated="fails",
                check_s=0.0,
                reason=f"the edit does not apply: {err}",
            )
        verdict = self._verdict(e, o, before, after, t0)
        if verdict is not None and reveals(verdict):
            self.afters[o.id] = after  # kept for `finish`, asked only if no one-step fix compiles
        return verdict

    def finish(self, e: Explanation, o: PatchOption) -> tuple[Finished | None, int]:
        """`o` finished in steps, and the cargo runs that took (its own check again when this run
        did not make it)."""
        before = self.baseline(tool_of(e))
        if before is None:
            return None, 0
        runs = [0]

        def check(edits: tuple) -> CheckReport:
            known = self._known(edits, tool_of(e))
            if known is not None:
                return known
            runs[0] += 1
            return self._check(edits, tool_of(e))

        after = self.afters.pop(o.id, None) or check(o.edits)
        return self._finish(e, o, after, before, check), runs[0]

    def _verdict(
        self, e: Explanation, o: PatchOption, before: Counter[Key], after: CheckReport, t0: float
    ) -> CachedVerdict | None:
        base = self.reports.get(tool_of(e))
        state, why, at = judge(e, o, before, after, base)
        if state == "not-checked":
            return None
        hidden = joint.hiding(e, after) if state == "compiles" else ()
        if hidden and (left := blame.at_story_or_edit(e, o.patch, after, base)) is not None:
            # a type error still at the story's own place or on a line the edit wrote: the edit did
            # not type-check there, whatever the other errors hide
            state, why, at, hidden = "fails", reason_words(left), _at(left), ()
        fresh = blame.compare(e, o.patch, base, after)[1] if base is not None else []
        own = {(d.message, _at(d)) for d in e.diagnostics}
        rest = [d for d in distinct(after.diagnostics) if d.level.startswith("error") and d not in fresh]
        first = next(iter(fresh), None) or next((d for d in rest if (d.message, _at(d)) not in own), None)
        return CachedVerdict(
            cleared=cleared(e, before, after) if state in ("compiles", "uncovers") else (),
            version=CACHE_VERSION,
            validated="type-checks" if hidden else state,
            check_s=time.monotonic() - t0,
            errors_left=error_count(after) - len(fresh),
            errors_new=len(fresh),
            reason=why,
            hiding=hidden,
            fails_at=at if state == "fails" else None,
            first_error=chain.short_words(first, o.patch)
            if first is not None and state == "compiles"
            else "",
            hidden_new=hidden_new(e, o, fresh) if state in ("compiles", "uncovers") else (),
            left_in_edit=left_in_edit(o, rest, self.ws.read) if state == "compiles" and rest else "",
        )

    def _finish(
        self,
        e: Explanation,
        o: PatchOption,
        after: CheckReport,
        before: Counter[Key],
        check: Callable[[tuple], CheckReport],
        avoid: frozenset[str] = frozenset(),
    ) -> Finished | None:
        """The fix carried on through the errors it reveals (`engine.explain.chain`), kept only when
        its last check is "compiles" or "type-checks" with no new error. When its last step is one
        of several ways out of a moved generic value (`move_bounds.WAYS`), the others are finished
        too, each alone (not for a first step on an impl block), and come as its `others`."""
        base = self.reports.get(tool_of(e))
        if base is None or self.chain_s <= 0:
            return None
        t0 = time.monotonic()
        try:
            done = chain.finish(
                e,
                o,
                after,
                base,
                self.ws.read,
                check,
                self.ws.files(),
                t0 + self.chain_s,
                avoid,
            )
        except RepairError:
            done = None
        verdict = self._verdict(e, chain.as_option(o, done), before, done.report, t0) if done else None
        self.chain_s -= time.monotonic() - t0
        if done is None and not avoid and _moves_generic(after):
            return self._one_way(e, o, after, before, check)
        if done is None or verdict is None or verdict.validated not in ("compiles", "type-checks"):
            return None
        if verdict.errors_new:
            return None
        found = Finished(
            edits=done.edits,
            patch=done.patch,
            steps=done.steps,
            source=done.source,
            applicability=done.applicability,
            verdict=verdict,
            name=done.name,
            family=done.family,
        )
        if avoid or done.family not in WAYS or any(ln.lstrip().startswith("impl") for ln in o.shows):
            return found  # a first step on an impl block is ranked below the method's own: not varied
        others: list[Finished] = []
        for way in sorted(WAYS - {done.family}):  # each other way out of the moved value, alone
            other = self._finish(e, o, after, before, check, WAYS - {way})
            if (
                other is not None
                and other.family == way
                and all(other.edits != f.edits for f in (found, *others))
            ):
                others.append(other)
        return msgspec.structs.replace(found, others=tuple(others))

    def _one_way(
        self,
        e: Explanation,
        o: PatchOption,
        after: CheckReport,
        before: Counter[Key],
        check: Callable[[tuple], CheckReport],
    ) -> Finished | None:
        """The fix finished through the moves it uncovered by one way out alone, `Copy` first (one
        bound answers every move of `T`), when the chain that took the best-scored way first gave up.
        The mistake it answers: h09's `T: PartialOrd` uncovers a move out of `xs[0]` and one out of
        `for &x in xs`; the chain's two candidates per error were rustc's `&xs[0]` and a clone, whose
        second step spent the checks, so the green `T: PartialOrd + Copy` was never named."""
        for way in ("generic-copy", "generic-borrow", "generic-clone"):
            found = self._finish(e, o, after, before, check, WAYS - {way})
            if found is not None:
                return found
        return None

    def _check(self, edits: tuple, tool: CheckTool) -> CheckReport:
        saved = self.ws.try_edits(edits)
        try:
            report = run_check(self.ws.root, tool=tool, cancel=self.cancel)
        finally:
            self.ws.revert(saved)
        key = self._tree(edits, tool)
        if key is not None and report.status in ("clean", "diagnostics"):
            self.built[key] = report
        return report

    def _tree(self, edits: tuple, tool: CheckTool) -> tuple | None:
        """What a build with `edits` on the scratch copy builds: the tool and each file the edits
        change, by the digest of its new bytes (a file written back as it was counts as unchanged).
        None when the edits do not apply."""
        parts = []
        for rel, mine in by_file(edits).items():
            old = self.ws.read(rel)
            if old is None:
                return None
            try:
                new = apply_edits(old, mine)
            except EditError:
                return None
            if new != old:
                parts.append((rel, hashlib.sha256(new).hexdigest()))
        return (tool, *sorted(parts))

    def _known(self, edits: tuple, tool: CheckTool) -> CheckReport | None:
        """The report of a build of the same tree earlier in this run, or None. Why: the steps that
        finish fixes of one shape meet the same trees (three stories' moves out of `&self`, each
        finished by cloning the other two fields, all end at the same three clones; a step that takes
        back the first fix's `&` rebuilds the crate as it was), and the same tree gives the same
        diagnostics, so each is built once."""
        key = self._tree(edits, tool)
        known = self.built.get(key) if key is not None else None
        if known is not None:
            self.shared += 1
        return known

    def joint_trial(
        self, e: Explanation, o: PatchOption, others: tuple[PatchOption, ...]
    ) -> tuple[Validation, str, int]:
        """`o` checked with `others` (its companions) in the crate at once; the errors left."""
        tool = tool_of(e)
        before = self.baseline(tool)
        wrote = joint.written_lines(self.ws.read, o, others)
        if before is None or wrote is None:
            return "type-checks", "", 0
        rest = tuple(ed for c in others for ed in c.edits)
        try:
            after = self._check((*o.edits, *rest), tool)
        except RepairError:
            return "type-checks", "", 0

        def alone() -> CheckReport | None:
            try:
                return self._check(rest, tool)
            except RepairError:
                return None

        state, why = joint.joint_judge(e, before, after, wrote, alone, reason_words)
        return state, why, error_count(after)  # type: ignore[return-value]

    def set_trial(self, e: Explanation, leads: tuple[PatchOption, ...]) -> tuple[Validation, str, float]:
        """Every lead fix in at once: a new error (one the crate did not have) means the set breaks,
        since each of them alone added none."""
        before = self.baseline(tool_of(e))
        if before is None:
            return "not-checked", "", 0.0
        t0 = time.monotonic()
        try:
            after = self._check(tuple(ed for o in leads for ed in o.edits), tool_of(e))
        except RepairError as err:
            return "fails", f"the edits do not apply together: {err}", time.monotonic() - t0
        if after.status in ("timeout", "error", "failed"):
            return "not-checked", "", time.monotonic() - t0
        new = joint.new_errors(before, after)
        took = time.monotonic() - t0
        return ("fails", reason_words(new[0]), took) if new else ("compiles", "", took)


def error_count(report: CheckReport) -> int:
    """Every error left counts, three "mismatched types" in one file included (distinct() already
    folds the same error reported by two targets)."""
    return sum(1 for d in distinct(report.diagnostics) if d.level.startswith("error"))


def hidden_new(e: Explanation, o: PatchOption, fresh: list) -> tuple[str, ...]:
    """The new errors with `o` in that rustc hid behind the story's error, in short words. The
    mistake it answers: rustc reports the borrow checker's errors (and the privacy pass's) only once
    type checking is clean, so a fix of the last type error lets rustc report moves out of a slice
    that were in the code all along, and "2 new errors appear with it" blamed the fix for them. The
    test is `engine.patching.uncovered`'s, the one `--apply`'s guard uses: a later pass than one of
    the story's errors, on no line the edit wrote."""
    codes = [d.code_str or "" for d in e.diagnostics]
    wrote = joint.new_lines(o.patch)
    return tuple(chain.short_words(d, o.patch) for d in fresh if hidden_behind(d, codes, wrote))


def _moves_generic(after: CheckReport) -> bool:
    """The check reports a move of a type parameter out of a borrow or a slice (E0507/E0508, as the
    repair reads it, `op_bounds._param_name`): the errors whose ways out (`move_bounds.WAYS`) are
    alternatives, each finished alone."""
    return any(d.code_str in ("E0507", "E0508") and _param_name(d) is not None for d in after.diagnostics)
