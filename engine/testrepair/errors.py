"""The test-repair package's root exception: one user-facing sentence."""

from __future__ import annotations


class TestRepairError(Exception):
    """Test repair cannot run at all (unreadable weights, a crate with no library source).

    A failing test, an abstention and a red candidate are data, never this exception.
    """

    __test__ = False  # pytest: not a test class
    user_facing = True
