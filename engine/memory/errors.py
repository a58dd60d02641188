"""The memory's root exception."""

from __future__ import annotations


class MemoryStoreError(Exception):
    """The memory could not be read, written or changed; the message is one sentence for the user."""

    user_facing = True
    exit_code = 2


class NoSuchItem(MemoryStoreError):
    """`rusta memory forget ITEM` named nothing Rusta remembers."""
