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


class Candidate(Base):
    id: str
    edits: tuple[Edit, ...]
    description: str
    source: Source
    family: str  # e.g. "add-mut", "clone", "rustc:MachineApplicable"
    addresses: tuple[str, ...] = ()  # diagnostic codes it targets
    applicability: str = "Unspecified"  # rustc's claim, when it came from rustc
    score: float = 0.0  # higher first
    lm_delta_bits: float | None = None  # bits the edit adds to the code around it (heads.rank), if scored


class Trial(Base):
    """One candidate run through the sandbox."""

    candidate: Candidate
    verdict: Verdict
    check_status: str
    test_status: str = "not-run"
    errors_after: int = 0
    duration_s: float = 0.0
    note: str = ""


class Alternative(Base):
    """One complete green fix; the user may pick any of them, not only the first."""

    description: str
    family: str
    verdict: Verdict
    diff: str
    files: tuple[tuple[str, bytes], ...]


RepairStatus = Literal["fixed", "abstained", "clean", "error"]


class RepairResult(Base):
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
