"""Structs of the repair engine: byte edits, candidates, their earned verdicts, a repair's outcome."""

from __future__ import annotations

from typing import Literal

import msgspec

from engine.edits import Edit


class Base(msgspec.Struct, frozen=True, kw_only=True):
    pass


Source = Literal["rustc", "clippy", "template", "lm"]

# What Rusta earned for a candidate by running it, not what rustc claimed.
Verdict = Literal["apply-safe", "maybe-incorrect", "placeholder", "red", "untried"]


class Candidate(Base, frozen=True):
    id: str
    edits: tuple[Edit, ...]
    description: str
    source: Source
    family: str  # e.g. "add-mut", "clone", "rustc:MachineApplicable"
    addresses: tuple[str, ...] = ()  # diagnostic codes it targets
    applicability: str = "Unspecified"  # rustc's claim, when it came from rustc
    score: float = 0.0  # higher first
    lm_delta_bits: float | None = None  # bits the edit adds to the code around it (heads.rank), if scored
    # Set by the Action head (engine.repair.headorder) when it ordered the candidates.
    head_p_compile: float | None = None  # P(the edit compiles)
    head_p_exact: float | None = None  # P(the edit is the one a developer would write)
    head_rank: int | None = None  # its place in the head's order (0 = tried first)


class Trial(Base, frozen=True):
    """One candidate run through the sandbox."""

    candidate: Candidate
    verdict: Verdict
    check_status: str
    test_status: str = "not-run"
    errors_after: int = 0
    duration_s: float = 0.0
    note: str = ""
    failing_tests: tuple[str, ...] = ()  # tests that fail with it and did not fail at the baseline
    preexisting_failures: tuple[str, ...] = ()  # tests that fail with it and already failed there


class Alternative(Base, frozen=True):
    """One complete green fix; the user may pick any of them, not only the first."""

    description: str
    family: str
    verdict: Verdict
    diff: str
    files: tuple[tuple[str, bytes], ...]


class BaselineTest(Base, forbid_unknown_fields=True, kw_only=True, frozen=True):
    name: str
    status: Literal["ok", "failed", "ignored"]
    suite: str = ""


class Baseline(Base, forbid_unknown_fields=True, kw_only=True, frozen=True):
    """Per-test outcomes of the crate's suite at the last state that compiled, cached by its tree id.

    `source` says where the state came from: HEAD's tree in the user's git repo, the last snapshot
    Rusta applied a tested green patch to, or nothing ("none", with `note` saying why). A baseline
    whose suite did not build or finish (`status` other than passed/failed) is kept as such, so the
    same tree is not built again, but it is not usable.
    """

    version: int = 1
    source: Literal["head", "snapshot", "none"]
    tree: str = ""
    label: str = ""  # how the user knows it: "HEAD (1a2b3c4)", "snapshot 5d6e7f8"
    status: str = "none"  # the suite's TestReport status there
    tests: tuple[BaselineTest, ...] = ()
    note: str = ""

    @property
    def usable(self) -> bool:
        return self.source != "none" and self.status in ("passed", "failed")


class Leftover(Base, frozen=True):
    """An error the search stopped on, where the user's file has it, and the true reason."""

    code: str
    message: str
    where: str  # the user's file and line, never the scratch copy's
    reason: str


RepairStatus = Literal["fixed", "partial", "abstained", "clean", "failing-tests", "error"]


class RepairResult(Base, frozen=True):
    crate_root: str
    status: RepairStatus
    steps: tuple[Trial, ...] = ()  # the green trial of each step, in the order applied
    trials: tuple[Trial, ...] = ()  # every trial, green or not
    diff: str = ""
    files: tuple[tuple[str, bytes], ...] = ()  # (crate-relative path, new content) of each changed file
    explanation: str = ""
    alternatives: tuple[Alternative, ...] = ()  # every green fix found, the chosen one first
    validations: int = 0
    duration_s: float = 0.0
    message: str = ""
    # Added with the test baseline and partial fixes; defaults keep older records decodable.
    baseline: str = ""  # label of the baseline tests were judged against; "" when none was needed or found
    baseline_note: str = ""  # why there is no baseline, when one was needed
    baseline_failing: tuple[str, ...] = ()  # every test that failed at the baseline
    preexisting_failures: tuple[str, ...] = ()  # tests that fail after the fix and already failed there
    failing_tests: tuple[str, ...] = ()  # "failing-tests": the tests that fail on a crate that compiles
    left: tuple[Leftover, ...] = ()  # "partial" and "abstained": what is left and why
    held_back: tuple[Alternative, ...] = ()  # green fixes below the accepted verdict, best first
    # The Confidence head (engine.heads.confidence): P(the fix is the one a developer would write);
    # None when no head ran or the result is not a fix.
    confidence: float | None = None


class ApplyDecision(Base, frozen=True):
    """Whether `rusta fix --yes` applies a fixed result, by the Confidence head, and why in words."""

    apply: bool
    confidence: float | None  # None: no head ran (no weights shipped, or heads turned off)
    threshold: float | None
    reason: str
