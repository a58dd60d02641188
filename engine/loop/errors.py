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


class NoPatch(NoExplanation):
    """Do on a story whose ways out are advice, not a patch (or rustc's patch has placeholders):
    nothing to validate or apply. Not bad input, so not exit 2: the story and the number were
    right, there is just no code Rusta can land for it."""

    exit_code = 4
