"""The core loop's root exception and its kinds."""

from __future__ import annotations


class LoopError(Exception):
    """The core loop refuses a step; the message says which step and why."""

    user_facing = True
    exit_code = 2


class IllegalTransition(LoopError):
    """A step asked for in a state that does not allow it (Do before Explain, Undo before Do...)."""


class NoExplanation(LoopError):
    """Do without an Explanation, or with one that carries no change: Rusta never changes code unexplained."""
