"""Messages workers post to the app; only the app's handlers touch state and widgets.

Each probe carries a generation number: a result from a probe a newer save replaced is dropped,
so a slow stale check can never overwrite fresh diagnostics.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.message import Message

from rusta_tui.patchstatus import PatchStatus
from toolbelt.types import CheckReport

if TYPE_CHECKING:
    from diary.types import Entry
    from engine.explain.types import Explanation, PatchOption
    from engine.patching.types import OpRecord, Patch, Validation
    from engine.repair.flow import Proposal
    from engine.repair.types import ApplyDecision


class ProbeStarted(Message):
    def __init__(self, generation: int, reason: str) -> None:
        super().__init__()
        self.generation = generation
        self.reason = reason


class ProbeFinished(Message):
    """A check finished; `explanations` is empty and `explain_note` says why when explain is absent."""

    def __init__(
        self,
        generation: int,
        report: CheckReport,
        explanations: tuple[Explanation, ...],
        explain_note: str,
        elapsed_s: float,
    ) -> None:
        super().__init__()
        self.generation = generation
        self.report = report
        self.explanations = explanations
        self.explain_note = explain_note
        self.elapsed_s = elapsed_s


class ProbeCancelled(Message):
    def __init__(self, generation: int) -> None:
        super().__init__()
        self.generation = generation


class OptionsChecked(Message):
    """Explain's validation checked story `index`'s options: `explanation` replaces it (failed ones
    gone); `failed` holds those, each with why it failed in the compiler's words."""

    def __init__(
        self, generation: int, index: int, explanation: Explanation, failed: tuple[PatchOption, ...] = ()
    ) -> None:
        super().__init__()
        self.generation = generation
        self.index = index
        self.explanation = explanation
        self.failed = failed


class OptionsDone(Message):
    """The options check of one probe ended; `note` says why when it did not finish."""

    def __init__(self, generation: int, checked: int, cached: int, note: str = "") -> None:
        super().__init__()
        self.generation = generation
        self.checked = checked
        self.cached = cached
        self.note = note


class SourcesChanged(Message):
    """watchfiles saw saves under the crate; the paths are relative to its root."""

    def __init__(self, paths: tuple[str, ...]) -> None:
        super().__init__()
        self.paths = paths


class ProofStarted(Message):
    """A proof of the validation in `group` started ("fuzz", "bench", "miri"): the Status screen shows it."""

    def __init__(self, group: str, stage: str) -> None:
        super().__init__()
        self.group = group
        self.stage = stage


class PatchValidated(Message):
    """A validation finished; `status` is green, red or not_run (`rusta_tui.patchstatus.judge`)."""

    def __init__(
        self,
        key: str,
        patch: Patch,
        validation: Validation,
        ok: bool,
        summary: str,
        status: PatchStatus | None = None,
        chosen: str = "",
    ) -> None:
        super().__init__()
        self.key = key
        self.patch = patch
        self.validation = validation
        self.ok = ok
        self.summary = summary
        self.status: PatchStatus = status or ("green" if ok else "red")
        self.chosen = chosen  # the user's pick in Choose a fix ("fix 2: ..."), when `patch` is one


class FixProposed(Message):
    """The repair (`engine.repair.flow.propose`, as `rusta fix` runs it) found a fix, or several, for
    story `key`; the user reads it and confirms (or picks one) before anything is validated again or
    applied. `decision` is `rusta fix --yes`'s Confidence gate on Rusta's first choice
    (`engine.repair.headorder.apply_decision`): below it she would not apply it on her own."""

    def __init__(self, key: str, proposal: Proposal, decision: ApplyDecision) -> None:
        super().__init__()
        self.key = key
        self.proposal = proposal
        self.decision = decision


class PatchCancelled(Message):
    """The user cancelled this patch's validation or fix search (x), or chose none of its fixes;
    nothing was judged and nothing applied. `state` is the one sentence the Explain bubble keeps
    (`rusta_tui.patchstatus`); `said`, when given, is a shorter one for the mode line."""

    def __init__(self, key: str, state: str, said: str = "") -> None:
        super().__init__()
        self.key = key
        self.state = state
        self.said = said


class PatchApplied(Message):
    """A patch landed; `patch_id` names it in the patch path's history (u undoes it)."""

    def __init__(self, key: str, patch_id: str, summary: str, patch: Patch | None = None) -> None:
        super().__init__()
        self.key = key
        self.patch_id = patch_id
        self.summary = summary
        self.patch = patch  # what landed, when it is not the story's own patch (the fix key's repair)


class PatchUndone(Message):
    def __init__(self, record: OpRecord | None, summary: str, redo: bool = False) -> None:
        super().__init__()
        self.record = record
        self.summary = summary
        self.redo = redo


class PatchFailed(Message):
    """Validation, apply or undo could not run; the sentence says why."""

    def __init__(self, action: str, sentence: str) -> None:
        super().__init__()
        self.action = action
        self.sentence = sentence


class Recovered(Message):
    """Start-up recovery ran: interrupted intents from the DevLog and what the patch path restored."""

    def __init__(self, intents: tuple[Entry, ...], restored: str, note: str, blocked: str = "") -> None:
        super().__init__()
        self.intents = intents
        self.restored = restored
        self.note = note
        self.blocked = blocked  # why no patch can land here, when the crate cannot be snapshotted


class JobsChanged(Message):
    """A job started or ended; the Status screen and the mode bar redraw."""
