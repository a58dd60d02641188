"""The core loop as a state machine: Say (intent) -> Explain -> Do -> Undo -> Reflect.

Every transition writes one DevLog record before it returns; an illegal transition raises
IllegalTransition and writes nothing. Do needs an Explanation (no change without one) and goes
through the patch path (validate in a sandbox, then apply), so nothing red ever lands. When the
user rejects a suggestion, Rusta answers with evidence; when the user's evidence holds (their
alternative validates green, or the compiler no longer complains), she concedes and records it.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

import msgspec

from engine.explain.jsonview import to_dict
from engine.explain.types import Explanation
from engine.loop.errors import IllegalTransition, NoExplanation, NoPatch
from engine.loop.types import TRANSITIONS, Answer, DoResult, Evidence, LogWriter, Patcher, State
from engine.patching.types import Proof

if TYPE_CHECKING:
    from diary.types import EntryKind
    from engine.patching.types import BenchPolicy, Patch, Validation

MAX_LOGGED_STORIES = 50


def mark_of(e: Explanation) -> str:
    """The memory's identity of the story's first diagnostic (`occurrence_mark`): rustc's spanned
    source lines, not their line numbers, so a re-run on unchanged code is the same occurrence."""
    from engine.memory.fold import occurrence_mark

    d = e.diagnostics[0] if e.diagnostics else None
    span = d.primary if d is not None else None
    if span is None:
        return ""
    return occurrence_mark(e.code or "", e.message, span.file_name, (t.text for t in span.text))


def _brief(e: Explanation) -> dict[str, Any]:
    """What the DevLog keeps of an explanation: enough to replay the story, not the whole diagnostic."""
    d = to_dict(e)
    return {
        k: d[k]
        for k in ("code", "message", "primary", "root_cause", "root_cause_reason", "invariant", "summary")
    } | {
        "patch": None
        if e.patch is None
        else {"applicability": e.patch.applicability, "source": e.patch.source},
        "grouped": len(e.diagnostics),
        "mark": mark_of(e),
    }


class CoreLoop:
    """One task's loop over one crate. `devlog` and `patcher` default to the real diary and patch API."""

    def __init__(
        self, root: str | Path, *, devlog: LogWriter | None = None, patcher: Patcher | None = None
    ) -> None:
        self.root = Path(root)
        self._log = devlog
        self._owns_log = devlog is None
        self._patcher = patcher
        self.state: State = "idle"
        self.task: str | None = None
        self.intent = ""
        self.explanations: tuple[Explanation, ...] = ()
        self.records: list[tuple[str, str]] = []  # (step, DevLog id), in order
        self.last_patch_id = ""
        self.preferred: dict[int, str] = {}  # explanation index -> the user's alternative Rusta conceded to

    # --- plumbing ---------------------------------------------------------------------------------

    @property
    def log(self) -> LogWriter:
        if self._log is None:
            from diary.devlog import DevLog

            self._log = DevLog.open(self.root)
        return self._log

    @property
    def patcher(self) -> Patcher:
        if self._patcher is None:
            from engine.patching import api

            self._patcher = api
        return self._patcher

    def close(self) -> None:
        if self._owns_log and self._log is not None:
            self._log.close()
            self._log = None

    def abandon(self, exc: BaseException) -> None:
        """Settle the open task that an error or Ctrl-C stopped, with the reason (see diary.tasks)."""
        if self.task is not None and self._log is not None:
            from diary.tasks import settle_failed

            settle_failed(self._log, self.task, exc)

    def _check(self, step: str) -> State:
        allowed, after = TRANSITIONS[step]
        if self.state not in allowed:
            raise IllegalTransition(
                f"cannot {step} now: the loop is at '{self.state}'; {step} needs one of {', '.join(sorted(allowed))}."
            )
        return after

    def _record(
        self, kind: EntryKind, step: str, summary: str, payload: dict[str, Any], *, settles: str | None = None
    ) -> str:
        body = {"summary": summary, "step": step, **payload}
        rid = self.log.append(kind, body, task=self.task, settles=settles)
        self.records.append((step, rid))
        return rid

    # --- Say ----------------------------------------------------------------------------------------

    def say(self, intent: str, *, mode: str | None = None) -> str:
        """Open a task with the user's intent; its DevLog id becomes the task id."""
        after = self._check("say")
        if not intent.strip():
            raise IllegalTransition("say needs an intent: what do you want to do?")
        self.task = None
        payload: dict[str, Any] = {"summary": intent.strip()[:300], "goal": intent.strip(), "step": "say"}
        if mode in ("study", "pair", "silent"):
            payload["mode"] = mode
        rid = self.log.append("intent", payload)
        self.records.append(("say", rid))
        self.task, self.intent, self.state = rid, intent.strip(), after
        self.explanations = ()
        return rid

    # --- Explain ------------------------------------------------------------------------------------

    def explain(self, explanations: tuple[Explanation, ...], *, mode: str = "pair") -> str:
        after = self._check("explain")
        stories = [_brief(e) for e in explanations[:MAX_LOGGED_STORIES]]
        n = len(explanations)
        summary = f"explained {n} {'story' if n == 1 else 'stories'} in {mode} mode"
        if explanations:
            summary += f"; first: {explanations[0].summary.splitlines()[0] if explanations[0].summary else explanations[0].message}"
        rid = self._record(
            "note",
            "explain",
            summary[:300],
            {"author": "rusta", "mode": mode, "count": n, "explanations": stories},
        )
        self.explanations, self.state = explanations, after
        self.preferred = {}
        return rid

    # --- Do / Undo ----------------------------------------------------------------------------------

    def _patch_for(self, e: Explanation, diff: str, note: str) -> Patch:
        from engine.patching.types import DiagnosticRef, Patch

        refs = tuple(
            DiagnosticRef(
                code=d.code_str,
                message=d.message,
                file=d.primary.file_name if d.primary else "",
                line=d.primary.line_start if d.primary else None,
            )
            for d in e.diagnostics
        )
        why = f"{e.code or e.level}: {e.summary} Root cause {e.root_cause.file}:{e.root_cause.line}. {note}".strip()
        return Patch.new(diff, why, addresses=refs)

    MAX_TRIES = 3  # options tried in order by `do` without a chosen diff; each try is recorded

    def _candidates(
        self, e: Explanation, index: int, diff: str | None, option: int | None = None
    ) -> list[tuple[str, str, int]]:
        """(diff, note, option number) to try, best first: the user's diff alone; else `option`, the
        one fix the user picked (from 1, as `--json` lists the story's options), alone; else the
        story's options that did not fail validation, in their order (compiled first); else rustc's
        suggested patch. A picked option is never swapped for another: what lands is what was shown."""
        if diff is None and index in self.preferred:
            diff = self.preferred[index]
        if diff is None and option is None:  # a fix the user picks by number is the one that lands
            from engine.loop.preferred import recall

            diff = recall(self.root, e)  # conceded to in an earlier run (`--reject N --alternative`)
        if diff is not None:
            return [(diff, "The user's chosen option.", 0)]
        if option is not None and e.fixes:
            if not 1 <= option <= len(e.fixes) or not e.fixes[option - 1].patch.strip():
                raise NoExplanation(
                    f"story #{index + 1} has {len(e.fixes)} fix(es) with code; there is no fix {option}."
                )
            return [self._landing(e, index, option)]
        if option not in (None, 1):
            raise NoExplanation(f"story #{index + 1} has no fixes with code; there is no fix {option}.")
        numbered = [(n, f) for n, f in enumerate(e.fixes, 1) if f.validated != "fails" and f.patch.strip()]
        if numbered:
            return [self._landing(e, index, n) for n, _ in numbered[: self.MAX_TRIES]]
        if e.patch is not None and e.patch.applicability == "HasPlaceholders":
            # rustc's `<item>`-style suggestion cannot compile as written: say so instead of a red validation
            raise NoPatch(
                f"rustc's suggestion for {e.code or e.message} at {e.primary.file}:{e.primary.line} has "
                "placeholders (like `<item>`), so it cannot compile as written; write the change and "
                "`rusta apply` it, or let `rusta fix` look for a green one."
            )
        text = e.patch.diff if e.patch else ""
        if not text.strip():
            raise NoPatch(
                f"story #{index + 1} ({e.code or e.message} at {e.primary.file}:{e.primary.line}) has no fix "
                "Rusta can apply (no fix of it compiled in the scratch copy; its ways out are advice, not code). "
                "Nothing was changed; make the change "
                "yourself (then `rusta apply` a diff of it), or let `rusta fix` look for a green one."
            )
        return [(text, "", 0)]

    def _landing(self, e: Explanation, index: int, option: int) -> tuple[str, str, int]:
        """Fix `option` of story `index` as the diff that lands: with the fixes its ✓ was checked
        beside, in one patch (engine.explain.joint_apply), so applying it never leaves half a pair.
        Raises NoPatch, naming the fix it needs, when the pair cannot be one patch."""
        from engine.explain.joint_apply import joint_patch

        f = e.fixes[option - 1]
        joint = joint_patch(self.explanations, index, f, lambda p: (self.root / p).read_bytes())
        if joint.refused:
            raise NoPatch(
                f"fix {option} of story #{index + 1} was not applied: {joint.refused}. Nothing was changed."
            )
        them = "".join(f" With story #{j + 1}'s first fix." for j in joint.with_stories)
        return (joint.diff, f"Option: {f.name}.{them}", option)

    def do(
        self,
        index: int = 0,
        *,
        diff: str | None = None,
        option: int | None = None,
        fuzz: Literal["refactor", "fix", "change"] | None = None,
        hot_bench: BenchPolicy | None = None,
    ) -> DoResult:
        """Apply explanation `index`'s patch (or `diff`, the user's chosen option) if it validates green.

        Without a chosen diff, the story's options are tried in their order, at most MAX_TRIES, and the
        first green one lands: rustc's first suggestion is not always the one that compiles. With
        `option` (from 1) only that fix is tried, so what lands is the fix the user was shown; refused,
        the result names the first other fix that validates green (`next_green`). `fuzz` is a
        proof each try earns besides check and tests (engine.patching.api.validate): under "refactor" a
        behaviour change fuzzing finds is red, so it never reaches the files. `hot_bench` times a try
        that changes a fn marked hot (engine.proofs.hot); any other try says why it was not timed."""
        after = self._check("do")
        if not self.explanations:
            raise NoExplanation("nothing is explained yet; Rusta never changes code without an explanation.")
        if not 0 <= index < len(self.explanations):
            raise NoExplanation(
                f"there is no explanation #{index + 1}; {len(self.explanations)} are on the table."
            )
        e = self.explanations[index]
        tries = self._candidates(e, index, diff, option)
        refused: DoResult | None = None
        for n, (text, note, number) in enumerate(tries, 1):
            patch = self._patch_for(e, text, note)
            validation = self._validate(patch, fuzz, hot_bench)
            if validation.green:
                break
            rid = self._record(
                "validation",
                "do",
                f"refused {patch.id}: {validation.reason}",
                {
                    "tool": "test",
                    "ok": False,
                    "errors": validation.errors_after,
                    "failed_tests": list(validation.failing_tests),
                    "patch_id": patch.id,
                    "verdict": validation.verdict,
                    "reason": validation.reason,
                    "new_errors": list(validation.new_errors),
                    "failing_tests": list(validation.failing_tests),
                    "proofs": msgspec.to_builtins(validation.proofs),
                },
            )
            reason = validation.reason
            if len(tries) > 1:
                reason = (
                    f"{reason} ({n} of {len(tries)} options tried, none green.)"
                    if n == len(tries)
                    else reason
                )
            refused = DoResult(
                applied=False,
                verdict=validation.verdict,
                reason=reason,
                patch_id=patch.id,
                record_id=rid,
                proofs=validation.proofs,
                diff=text,
                option=number,
            )
        else:
            assert refused is not None
            if option is not None and number:
                refused = msgspec.structs.replace(
                    refused, next_green=self._next_green(e, number, fuzz, hot_bench)
                )
            return refused
        self.patcher.apply(self.root, patch, validation)
        rid = self._record(
            "action",
            "do",
            f"applied {patch.id} for {e.code or e.level}",
            {
                "op": "loop.do",  # the patch path records the authoritative op "apply" itself
                "patch_id": patch.id,
                "verdict": validation.verdict,
                "reason": validation.reason,
                "explanation": _brief(e),
            },
        )
        self.state, self.last_patch_id = after, patch.id
        return DoResult(
            applied=True,
            verdict=validation.verdict,
            reason=validation.reason,
            patch_id=patch.id,
            record_id=rid,
            proofs=validation.proofs,
            diff=text,
            option=number,
        )

    def _next_green(
        self,
        e: Explanation,
        after: int,
        fuzz: Literal["refactor", "fix", "change"] | None,
        hot_bench: BenchPolicy | None,
    ) -> int:
        """The first of the story's other fixes, in their order, that validates green in the sandbox
        (check, tests, proofs), at most MAX_TRIES tried; 0 if none. Nothing is applied: the user picks it."""
        later = [(n, f) for n, f in enumerate(e.fixes, 1) if n != after and f.validated != "fails"]
        for n, f in [(n, f) for n, f in later if f.patch.strip()][: self.MAX_TRIES]:
            if self._validate(self._patch_for(e, f.patch, f"Option: {f.name}."), fuzz, hot_bench).green:
                return n
        return 0

    def _validate(
        self, patch: Patch, fuzz: Literal["refactor", "fix", "change"] | None, hot_bench: BenchPolicy | None
    ) -> Validation:
        """The patch path's verdict (a `todo!()` a test reaches is red while the tests cannot run:
        engine.patching.holes, in the patcher's validate, so `rusta apply` refuses it too)."""
        if fuzz is None and hot_bench is None:
            return self.patcher.validate(self.root, patch)
        from engine.proofs.bench_cover import coverage_proof
        from engine.proofs.hot import touched

        bench = hot_bench if hot_bench is not None and touched(self.root, patch) else None
        v = self.patcher.validate(self.root, patch, fuzz=fuzz, bench=bench)
        if bench is not None or hot_bench is None:
            return v
        why = "bench: not run: the patch changes no fn marked hot (`rusta hot add FN` marks one)."
        cover = coverage_proof(self.root, patch)
        extra = (Proof(kind="bench", status="skipped", detail=why), *(() if cover is None else (cover,)))
        return msgspec.structs.replace(v, proofs=(*v.proofs, *extra))

    def undo(self) -> str:
        after = self._check("undo")
        self.patcher.undo(self.root)
        rid = self._record(
            "action",
            "undo",
            f"undid {self.last_patch_id}",
            {"op": "loop.undo", "patch_id": self.last_patch_id},  # the patch path records op "undo"
        )
        self.state = after
        return rid

    # --- Reject: argue with evidence, concede when the evidence says so ------------------------------

    def _evidence(self, e: Explanation) -> tuple[Evidence, ...]:
        out = [Evidence(kind="compiler", text=e.message, where=f"{e.primary.file}:{e.primary.line}")]
        if e.primary.label:
            out.append(
                Evidence(kind="compiler", text=e.primary.label, where=f"{e.primary.file}:{e.primary.line}")
            )
        if e.root_cause.label and (e.root_cause.file, e.root_cause.line) != (e.primary.file, e.primary.line):
            out.append(
                Evidence(
                    kind="compiler", text=e.root_cause.label, where=f"{e.root_cause.file}:{e.root_cause.line}"
                )
            )
        out.extend(Evidence(kind="fact", text=f) for f in e.facts[:3])
        return tuple(out)

    def reject(
        self, reason: str, *, index: int = 0, alternative_diff: str | None = None, recheck: bool = False
    ) -> Answer:
        """The user rejects explanation `index`'s suggestion. Evidence decides who is right."""
        self._check("reject")
        if not self.explanations:
            raise NoExplanation("there is no suggestion to reject yet.")
        e = self.explanations[index]
        if alternative_diff is not None:
            patch = self._patch_for(e, alternative_diff, f"The user's alternative: {reason}")
            v = self.patcher.validate(self.root, patch)
            if v.green:
                from engine.loop.preferred import remember

                text = (
                    f"Your alternative validates green ({v.reason.rstrip('.')}). I was wrong to insist on mine; "
                    f"Do (`rusta explain --apply {index + 1}`) will apply yours while the files it touches "
                    "stay as they are. Recorded."
                )
                self.preferred[index] = alternative_diff
                remember(self.root, e, alternative_diff)
                return self._concede(
                    e, reason, text, (Evidence(kind="validation", text=v.reason, where=patch.id),)
                )
            ev = (
                Evidence(kind="validation", text=v.reason, where=patch.id),
                *(Evidence(kind="compiler", text=m) for m in v.new_errors[:3]),
                *(Evidence(kind="test", text=t) for t in v.failing_tests[:3]),
            )
            text = f'Your alternative does not hold: {v.reason.rstrip(".")}. The compiler still says: "{e.message}".'
            return self._hold(e, reason, text, ev)
        if recheck:
            from engine.explain.api import explain_report
            from toolbelt.cargo_run import run_check

            now = explain_report(run_check(self.root))
            still = [x for x in now if x.code == e.code and x.root_cause == e.root_cause]
            if not still:
                text = f"The compiler no longer reports {e.code or 'this'} at {e.root_cause.file}:{e.root_cause.line}. You were right; recorded."
                return self._concede(
                    e, reason, text, (Evidence(kind="compiler", text="cargo check no longer reports it"),)
                )
        ev = self._evidence(e)
        text = f'The compiler\'s words stand: "{e.message}" at {e.primary.file}:{e.primary.line}. {e.root_cause_reason[:1].upper()}{e.root_cause_reason[1:]}.'
        return self._hold(e, reason, text, ev)

    def _hold(self, e: Explanation, reason: str, text: str, ev: tuple[Evidence, ...]) -> Answer:
        rid = self._record(
            "note",
            "reject",
            f"user rejected {e.code or e.level}: {reason[:120]}; Rusta holds with evidence",
            {
                "author": "rusta",
                "reason": reason,
                "conceded": False,
                "answer": text,
                "evidence": [{"kind": x.kind, "text": x.text, "where": x.where} for x in ev],
            },
        )
        self.state = "explained"
        return Answer(conceded=False, text=text, evidence=ev, record_id=rid)

    def _concede(self, e: Explanation, reason: str, text: str, ev: tuple[Evidence, ...]) -> Answer:
        rid = self._record(
            "reflection",
            "reject",
            f"conceded on {e.code or e.level}: {reason[:120]}",
            {
                "outcome": "rejected",
                "why": f"the user's evidence holds: {ev[0].text if ev else reason}",
                "reason": reason,
                "conceded": True,
                "answer": text,
                "evidence": [{"kind": x.kind, "text": x.text, "where": x.where} for x in ev],
            },
        )
        self.state = "explained"
        return Answer(conceded=True, text=text, evidence=ev, record_id=rid)

    # --- Reflect ------------------------------------------------------------------------------------

    def reflect(self, text: str, *, outcome: str = "done") -> str:
        """Close the task: one reflection that settles the intent (outcome done/failed/abandoned/rejected)."""
        after = self._check("reflect")
        rid = self._record(
            "reflection", "reflect", text.strip() or outcome, {"outcome": outcome}, settles=self.task
        )
        self.state = after
        return rid


def log_explain_run(root: str | Path, explanations: tuple[Explanation, ...], *, mode: str) -> None:
    """`rusta explain` as a loop: Say, Explain, Reflect, so silent mode still leaves a DevLog trail."""
    loop = CoreLoop(root)
    try:
        loop.say(f"explain the diagnostics of {Path(root).name}", mode=mode)
        loop.explain(explanations, mode=mode)
        n = len(explanations)
        loop.reflect(f"explained {n} {'story' if n == 1 else 'stories'} in {mode} mode; no change made")
    except BaseException as exc:
        loop.abandon(exc)
        raise
    finally:
        loop.close()
