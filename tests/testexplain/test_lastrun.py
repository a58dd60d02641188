"""The failed-test memory on disk: the update rule, the round trip, a damaged file in one sentence."""

from __future__ import annotations

from pathlib import Path

import pytest

from engine.testexplain.errors import TestExplainError
from engine.testexplain.lastrun import memory_path, recall, remember, updated
from engine.testexplain.types import FailedTest
from toolbelt import types as tt


def _report(*tests: tuple[str, str, str]) -> tt.TestReport:
    return tt.TestReport(
        crate_root="/x",
        status="failed",
        tests=tuple(tt.TestResult(name=n, status=s, suite=su) for su, n, s in tests),  # type: ignore[arg-type]
    )


def test_ran_tests_leave_failed_ones_join(tmp_path: Path) -> None:
    first = updated(None, _report(("a", "t1", "failed"), ("a", "t2", "ok"), ("b", "t1", "failed")))
    assert first.failed == (FailedTest(name="t1", suite="a"), FailedTest(name="t1", suite="b"))
    again = updated(first, _report(("a", "t1", "ok")))  # re-ran one: it passes now
    assert again.failed == (FailedTest(name="t1", suite="b"),)
    remember(tmp_path, again)
    assert recall(tmp_path) == again
    assert (tmp_path / ".rusta" / ".gitignore").exists()


def test_nothing_remembered_and_damaged(tmp_path: Path) -> None:
    assert recall(tmp_path) is None
    path = memory_path(tmp_path)
    path.parent.mkdir(parents=True)
    path.write_text('{"version": 1, "failed": [], "surprise": 1}')
    with pytest.raises(TestExplainError, match="is damaged"):
        recall(tmp_path)
