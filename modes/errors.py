"""The modes package's root exception."""

from __future__ import annotations


class ModesError(Exception):
    user_facing = True
    exit_code = 2


class UnknownMode(ModesError):
    """A mode name that is not study, pair or silent."""
