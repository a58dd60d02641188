"""The repair engine's root exception."""

from __future__ import annotations


class RepairError(Exception):
    """Repair could not run at all (the crate cannot be read, the sandbox cannot be made)."""

    user_facing = True
    exit_code = 2


class RepairBusy(RepairError):
    """Another process is repairing the same crate in the same scratch copy."""

    exit_code = 3
