"""Structs of the core loop: its states, the evidence Rusta argues with, her answer to a rejection."""

from __future__ import annotations

from typing import Literal

import msgspec

State = Literal["idle", "said", "explained", "done", "undone", "reflected"]
Step = Literal["say", "explain", "do", "undo", "reject", "reflect"]

# step -> (states it may start from, state it leads to)
TRANSITIONS: dict[str, tuple[frozenset[str], str]] = {
    "say": (frozenset({"idle", "reflected"}), "said"),
    "explain": (frozenset({"said", "explained", "undone"}), "explained"),
    "do": (frozenset({"explained"}), "done"),
    "undo": (frozenset({"done"}), "undone"),
    "reject": (frozenset({"explained", "done"}), "explained"),
    "reflect": (frozenset({"said", "explained", "done", "undone"}), "reflected"),
}


class Base(msgspec.Struct, frozen=True, kw_only=True):
    pass


EvidenceKind = Literal["compiler", "probe", "test", "validation", "fact"]


class Evidence(Base):
    """One piece of evidence, quoted exactly from where it came from."""

    kind: EvidenceKind
    text: str
    where: str = ""


class Answer(Base):
    """Rusta's reply to a rejected suggestion: she holds her ground with evidence, or concedes."""

    conceded: bool
    text: str
    evidence: tuple[Evidence, ...] = ()
    record_id: str = ""


class DoResult(Base):
    """What Do earned: the validation verdict and whether the change landed."""

    applied: bool
    verdict: str
    reason: str
    patch_id: str = ""
    record_id: str = ""
