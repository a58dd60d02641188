"""Structs of the core loop: its states, the evidence Rusta argues with, her answer to a rejection."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal, Protocol

import msgspec

from engine.patching.types import Proof

if TYPE_CHECKING:
    from diary.types import EntryKind
    from engine.patching.types import BenchPolicy, OpRecord, Patch, Validation

State = Literal["idle", "said", "explained", "done", "undone", "reflected"]
Step = Literal["say", "explain", "do", "undo", "reject", "reflect"]

# step -> (states it may start from, state it leads to)
TRANSITIONS: dict[str, tuple[frozenset[str], State]] = {
    "say": (frozenset({"idle", "reflected"}), "said"),
    "explain": (frozenset({"said", "explained", "undone"}), "explained"),
    "do": (frozenset({"explained"}), "done"),
    "undo": (frozenset({"done"}), "undone"),
    "reject": (frozenset({"explained", "done"}), "explained"),
    "reflect": (frozenset({"said", "explained", "done", "undone"}), "reflected"),
}


class Base(msgspec.Struct, frozen=True, kw_only=True):
    pass


class LogWriter(Protocol):
    """What the loop needs of a DevLog (`diary.devlog.DevLog` is one): append records, close."""

    def append(
        self,
        kind: EntryKind,
        payload: dict[str, Any],
        *,
        task: str | None = None,
        settles: str | None = None,
    ) -> str: ...

    def close(self) -> None: ...


class Patcher(Protocol):
    """What the loop needs of the patch path (the module `engine.patching.api` is one)."""

    def validate(
        self,
        root: Path,
        patch: Patch,
        *,
        fuzz: Literal["refactor", "fix", "change"] | None = None,
        bench: BenchPolicy | None = None,
    ) -> Validation: ...

    def apply(self, root: Path, patch: Patch, validation: Validation) -> OpRecord: ...

    def undo(self, root: Path) -> OpRecord: ...


EvidenceKind = Literal["compiler", "probe", "test", "validation", "fact"]


class Evidence(Base, frozen=True):
    """One piece of evidence, quoted exactly from where it came from."""

    kind: EvidenceKind
    text: str
    where: str = ""


class Answer(Base, frozen=True):
    """Rusta's reply to a rejected suggestion: she holds her ground with evidence, or concedes."""

    conceded: bool
    text: str
    evidence: tuple[Evidence, ...] = ()
    record_id: str = ""


class DoResult(Base, frozen=True):
    """What Do earned: the validation verdict and whether the change landed."""

    applied: bool
    verdict: str
    reason: str
    patch_id: str = ""
    record_id: str = ""
    proofs: tuple[Proof, ...] = ()  # what the validation ran: check, tests, fuzz, bench, miri or why not
    diff: str = ""  # the unified diff this try wrote (or would have written): the user sees what landed
    option: int = 0  # which of the story's fixes it is, from 1 as `--json` lists them; 0: none of them
    next_green: int = 0  # refused: the first other fix that validates green, from 1; 0: none found
