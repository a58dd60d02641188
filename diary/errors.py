"""The diary's root exception and its user-facing kinds: one sentence each, shown by the CLI as one line."""

from __future__ import annotations


class DiaryError(Exception):
    """The DevLog cannot do what was asked; the message says why in one sentence."""

    user_facing = True
    exit_code = 2


class DiaryFull(DiaryError):
    """The disk (or a file-size limit) refused the write; the record was not made and the log was left whole."""

    exit_code = 4


class DiaryIOError(DiaryError):
    """The operating system refused a read, write, fsync or rename the log needed."""

    exit_code = 4


class EntryNotFound(DiaryError):
    """No entry has that id (or the prefix matches none or several)."""


class EntryTooLarge(DiaryError):
    """A single entry is above the frame size limit; large blobs belong in the snapshot store."""


class InvalidEntry(DiaryError):
    """The kind, payload or references given to `append` break the schema."""


class NewerFormat(DiaryError):
    """The log was written by a newer Rusta; this one refuses to touch it rather than damage it."""


class GcError(DiaryError):
    """Garbage collection cannot read or rewrite the store, or the caps in settings are broken."""
