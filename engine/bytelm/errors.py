"""The byte LM's root exception: one user-facing sentence for the CLI, never a traceback."""

from __future__ import annotations


class ByteLMError(Exception):
    """Something stops the byte LM from running at all (no checkpoint, no corpus, a bad config)."""

    user_facing = True
    exit_code = 2


class NoCheckpoint(ByteLMError):
    """The shipped checkpoint is missing."""


class NoCorpus(ByteLMError):
    """The corpus snapshot is missing or empty."""


class SnapshotNotWritten(ByteLMError):
    """The corpus snapshot could not be written (folder not writable, disk full); the old one stands."""


class BadCheckpoint(ByteLMError):
    """A checkpoint exists but cannot be read back (wrong format, version or config)."""
