"""The diagnostic index's root exception: one user-facing sentence, shown by the CLI as one line."""

from __future__ import annotations


class DiagIndexError(Exception):
    """The index cannot be built or read (a malformed source file, a corrupt index.json).

    A code with no examples is not an error: `lookup` returns an empty tuple.
    """

    user_facing = True
    exit_code = 2


class SourceInvalid(DiagIndexError):
    """A source the index reads (a case file, a fixture, a bench result) does not have its format."""


class IndexUnreadable(DiagIndexError):
    """engine/diagindex/index.json is missing or does not decode; `python -m engine.diagindex build`."""
