"""The test-explain package's root exception: one user-facing sentence, shown by the CLI as one line."""

from __future__ import annotations


class TestExplainError(Exception):
    """Tests cannot be re-run or explained at all (no earlier run to re-run, an unreadable memory).

    Failing tests are not errors: they are data in a report.
    """

    __test__ = False  # pytest: not a test class
    user_facing = True
    exit_code = 2
