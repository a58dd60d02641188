"""The patching package's root exception and its kinds: each message is one sentence with a way out."""

from __future__ import annotations


class PatchError(Exception):
    """A patch cannot be parsed, validated, applied, undone or redone; the message says why."""

    user_facing = True
    exit_code = 2


class DiffParseError(PatchError):
    """The text is not a unified diff Rusta can apply (binary patch, bad hunk header, unsafe path)."""


class ContextMismatch(PatchError):
    """A hunk's context or removed lines do not match the file as it is."""


class NoExplanation(PatchError):
    """Every change needs an explanation; an empty one is refused."""


class NotGreen(PatchError):
    """The validation is red (or missing): the patch may not land."""

    exit_code = 3


class StaleValidation(PatchError):
    """The files the patch touches changed after it was validated."""

    exit_code = 3


class UserEdited(PatchError):
    """Undo or redo would overwrite an edit the user made after Rusta's change."""

    exit_code = 3


class NothingToDo(PatchError):
    """Nothing to undo or redo."""

    exit_code = 1


class Declined(PatchError):
    """The user said no, or could not be asked (no terminal and no --yes)."""

    exit_code = 1


class Busy(PatchError):
    """Another Rusta process holds the patch lock for this crate.

    Rusta declines to write while another process writes (3, refused on purpose): it is not bad
    input (2), and a script that retries on 3 retries this too."""

    exit_code = 3
