"""The core loop: Say -> Explain -> Do -> Undo -> Reflect, each step a DevLog record."""

from __future__ import annotations

from engine.loop.errors import IllegalTransition, LoopError, NoExplanation, NoPatch
from engine.loop.machine import CoreLoop, log_explain_run
from engine.loop.types import TRANSITIONS, Answer, DoResult, Evidence, State

__all__ = [
    "TRANSITIONS",
    "Answer",
    "CoreLoop",
    "DoResult",
    "Evidence",
    "IllegalTransition",
    "LoopError",
    "NoExplanation",
    "NoPatch",
    "State",
    "log_explain_run",
]
