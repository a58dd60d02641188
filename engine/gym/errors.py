"""The gym's root exception."""

from __future__ import annotations


class GymError(Exception):
    user_facing = True
    exit_code = 2
