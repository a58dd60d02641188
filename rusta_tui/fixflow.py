"""The fix key (f): `rusta fix`'s engine aimed at the selected story, so one mistake gets one answer.

`rusta fix` runs `engine.repair.flow`: propose (the repair search in a scratch copy), choose among
green alternatives, validate at the patch gate, commit or decline, each step in the DevLog. The app
runs the same functions with the CLI's defaults; the only difference is `focus`, which aims the
search at the story's errors instead of every error in the crate. Nothing lands unread: the fix, or
each of several green fixes, is shown with its diff (the ChooseFix screen) and the user confirms or
picks one before it is validated again and lands. `rusta fix --yes`'s Confidence gate
(`engine.repair.headorder.apply_decision`, the threshold from Settings `fix_min_confidence`, else
the head's own) decides whether Enter may take Rusta's first choice; below it only the fix's number
applies it, the user's explicit choice.
"""

from __future__ import annotations

import threading
from typing import TYPE_CHECKING, Final, cast

from textual import work
from textual.app import App
from textual.message import Message

from rusta_tui.benchgate import bench_for, with_skip
from rusta_tui.messages import (
    FixProposed,
    PatchApplied,
    PatchCancelled,
    PatchFailed,
    PatchValidated,
    ProofStarted,
)
from rusta_tui.patchflow import sentence
from rusta_tui.patchstatus import FIX_CANCELLED, SEARCH_CANCELLED, judge, none_chosen
from rusta_tui.screens.choose import Choice, ChooseFixScreen
from rusta_tui.views import patch_key

if TYPE_CHECKING:
    from collections.abc import Callable

    from diary.devlog import DevLog
    from engine.explain.types import Explanation
    from engine.repair.flow import Proposal
    from engine.repair.search import Accept
    from engine.repair.types import RepairResult
    from rusta_tui.patchflow import Tasks
    from rusta_tui.state import Session
    from toolbelt.types import Diagnostic

# `rusta fix`'s defaults (rusta_tui/cli/fix.py): the same budget, tests run, only "safe" fixes.
BUDGET: Final = 12
ACCEPT: Final[Accept] = "safe"
SEARCH_SAID: Final = "Fix search cancelled; nothing was applied."  # fits the mode line at 80
ALTERNATIVES: Final = 3  # green fixes looked for when the fix leaves the crate compiling (`--alternatives 3`)


def story_focus(expl: Explanation) -> Callable[[Diagnostic], bool]:
    """The story's errors as the repair sees them: rustc's code, message and file
    (`engine.repair.targets.gate_key`) and the place its primary span points at. The place matters:
    one file can hold several "mismatched types", and f fixes the one the user is looking at. The
    search steps on the story first, so no other step has moved its lines yet."""
    from engine.repair.targets import gate_key

    def at(d: Diagnostic) -> tuple[str, int, int]:
        p = d.primary
        return (gate_key(d), p.line_start if p else 0, p.column_start if p else 0)

    wanted = {at(d) for d in expl.diagnostics}
    return lambda d: at(d) in wanted


def pick_label(proposal: Proposal, index: int) -> str:
    """The user's pick in words, kept beside its patch: `v` and `a` name it and work on it later."""
    alts = proposal.result.alternatives
    if len(alts) > 1:
        return f"fix {index + 1} of {len(alts)}: {alts[index].description}"
    return f"rusta fix's fix: {alts[0].description}" if alts else "rusta fix's fix"


def choices_of(proposal: Proposal) -> tuple[Choice, ...]:
    """What the ChooseFix screen shows: every green alternative, or a partial fix's one patch (a
    partial result has no alternatives; its patch is all its steps together)."""
    alts = proposal.result.alternatives
    if alts:
        return tuple(Choice(a.description, f"{a.family}, {a.verdict}", a.diff) for a in alts)
    assert proposal.patch is not None
    steps = proposal.result.steps
    left = len({(x.code, x.where) for x in proposal.result.left})  # one error a lib and its tests both report
    return (
        Choice(
            "; ".join(t.candidate.description for t in steps) or "Rusta's fix",
            f"{proposal.result.status}, {left} error(s) left" if left else proposal.result.status,
            proposal.patch.diff,
        ),
    )


def no_fix_sentence(result: RepairResult) -> str:
    """Why there is no patch, in the repair's words; the best held-back fix is named when there is one."""
    text = result.message or f"No fix: the repair ended {result.status}."
    if result.held_back:
        text += f" The best one held back, compiled in a scratch copy: {result.held_back[0].description}."
    return text


class FixFlowMixin:
    """Mixed into RustaApp: the fix key's workers."""

    session: Session
    tasks: Tasks
    # the app's own, declared for the type checker: these handlers run on the app
    say: Callable[..., None]
    refresh_active: Callable[[], None]
    post_message: Callable[[Message], bool]

    def action_fix(self) -> None:
        """f: `rusta fix`'s repair aimed at this story; what it finds is shown (ChooseFixScreen) and
        lands only when the user confirms it, or picks one of several."""
        expl = self.session.selected_explanation()
        if expl is None:
            self.say("No story here to fix: select a diagnostic first.", severity="warning")
            return
        if not expl.level.startswith("error"):
            self.say(
                "f fixes errors, as rusta fix does; for this warning v validates its patch and a applies it.",
                severity="warning",
            )
            return
        key = patch_key(expl)
        self.session.focus_key = key
        job = self.session.start_job("fix", "patch", key)
        self.repair_story(key, expl, job.cancel)
        self.say(f"Looking for a fix for {key} as rusta fix does ({BUDGET} validations at most).")
        self.refresh_active()

    def on_fix_proposed(self, message: FixProposed) -> None:
        """A fix, or several: show each diff and let the user confirm or pick; nothing lands until then."""
        s = self.session
        s.end_job("patch")
        s.choosing, s.choosing_key = message.proposal, message.key
        choices = choices_of(message.proposal)
        n = len(choices)
        if n == 1:
            self.say(f"Rusta's fix for {message.key}: read it; Esc keeps the code.")
        else:
            self.say(f"{n} green fixes for {message.key}: pick one (1-{n}), Esc keeps the code.")
        self.refresh_active()

        def picked(index: int | None) -> None:
            proposal, key = s.choosing, s.choosing_key
            s.choosing, s.choosing_key = None, ""
            if proposal is None:
                return
            job = s.start_job("fix" if index is not None else "decline fix", "patch", key)
            self.land_choice(key, proposal, index, job.cancel)
            if index is not None:
                self.say(f"Validating fix {index + 1} for {key} in a sandbox.")

        screen = ChooseFixScreen(message.key, choices, message.decision)
        cast("App[None]", self).push_screen(screen, picked)

    def _decline_pending_choice(self, why: str) -> None:
        """Quitting with the choice open settles the repair task, so nothing looks interrupted later."""
        from diary.devlog import DevLog
        from engine.repair import flow

        proposal, self.session.choosing = self.session.choosing, None
        if proposal is None:
            return
        try:
            with DevLog.open(self.session.root) as log:
                flow.decline(proposal, why, log=log)
        except Exception as e:  # the log refused: the next start reports the task as interrupted
            self.say(f"The DevLog refused to record the decline: {e}", severity="error")

    def _post(self, message: Message) -> None:
        self.post_message(message)

    @work(thread=True, exclusive=True, group="patch", exit_on_error=False)
    def repair_story(self, key: str, expl: Explanation, cancel: threading.Event) -> None:
        """Propose a fix for the story as `rusta fix` would, and show it with `--yes`'s gate."""
        from diary.devlog import DevLog
        from diary.tasks import settling
        from engine.repair import flow
        from engine.repair.headorder import apply_decision

        root = self.session.root
        try:
            with DevLog.open(root) as log:
                proposal = flow.propose(
                    root,
                    budget=BUDGET,
                    run_tests=True,
                    log=log,
                    cancel=cancel,
                    alternatives=ALTERNATIVES,
                    accept=ACCEPT,
                    focus=story_focus(expl),
                )
                with settling(log, lambda: proposal.task):
                    if cancel.is_set():
                        if proposal.patch is not None:
                            flow.decline(proposal, "cancelled by the user before it was applied", log=log)
                        self._post(PatchCancelled(key, SEARCH_CANCELLED, SEARCH_SAID))
                    elif proposal.patch is None:
                        self._post(PatchFailed("fix", no_fix_sentence(proposal.result)))
                    else:  # the intent stays open until the user confirms, picks or declines
                        threshold = self.session.settings.fix_min_confidence
                        self._post(FixProposed(key, proposal, apply_decision(proposal.result, threshold)))
        except Exception as e:
            self._post(
                PatchCancelled(key, SEARCH_CANCELLED, SEARCH_SAID)
                if cancel.is_set()
                else PatchFailed("fix", sentence("Fix", e))
            )

    @work(thread=True, exclusive=True, group="patch", exit_on_error=False)
    def land_choice(self, key: str, proposal: Proposal, index: int | None, cancel: threading.Event) -> None:
        """The user's pick among the green fixes (`flow.choose`), validated and applied; None: none."""
        from diary.devlog import DevLog
        from diary.tasks import settling
        from engine.repair import flow

        try:
            with DevLog.open(self.session.root) as log, settling(log, lambda: proposal.task):
                n = len(proposal.result.alternatives)
                if index is None:
                    why = "the user chose none of the green fixes" if n > 1 else "the user kept the code"
                    flow.decline(proposal, why, log=log, by_user=True)
                    said = f"none of the {n} green fixes chosen" if n > 1 else "the fix was not applied"
                    self._post(PatchCancelled(key, none_chosen(n), f"Left as it was: {said}."))
                else:
                    # a partial fix has no alternatives: its one patch is the proposal's own
                    chosen = flow.choose(proposal, index) if n else proposal
                    self._land(key, chosen, log, cancel, pick_label(proposal, index))
        except Exception as e:
            self._post(
                PatchCancelled(key, FIX_CANCELLED)
                if cancel.is_set()
                else PatchFailed("fix", sentence("Fix", e))
            )

    def _land(self, key: str, proposal: Proposal, log: DevLog, cancel: threading.Event, chosen: str) -> None:
        """The patch gate validates again, then the patch lands through the reversible path. `chosen`
        stays with the patch: after an undo, v validates and a applies this fix, not the story's own."""
        from engine.repair import flow

        patch = proposal.patch
        assert patch is not None
        # the gate rusta fix runs, fuzzing included, and its --bench when a benchmark covers the code
        # (the proofs it shows, from the same function)
        bench, skip = bench_for(self.session.root, patch, self.session.settings)
        validation = flow.validate(
            self.session.root,
            proposal,
            log=log,
            cancel=cancel,
            fuzz=True,
            bench=bench,
            on_stage=lambda stage: self._post(ProofStarted("patch", stage)),
        )
        validation = with_skip(validation, skip)
        if cancel.is_set():
            flow.decline(proposal, "cancelled by the user during validation", log=log)
            self._post(PatchCancelled(key, FIX_CANCELLED))
            return
        status, summary = judge(validation, "error")
        self._post(PatchValidated(key, patch, validation, validation.green, summary, status, chosen))
        if not validation.green:
            flow.decline(proposal, f"sandbox said red: {validation.reason}", log=log)
            return
        with self.tasks.lock:
            op = flow.commit(self.session.root, proposal, validation, log=log)
            self.tasks.last_applied = None  # u now undoes this patch, not an older task's loop
        self._post(PatchApplied(key, op.patch_id, validation.reason, patch))
