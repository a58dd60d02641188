"""`run_test` on real cargo and the tests_failing fixture: results stream as they come, filters run
exactly the named tests, a hung test is a timeout that names its suite, a broken build is no verdict."""

from __future__ import annotations

import time

import pytest

from toolbelt import types as tt  # its Test* classes would look like tests to pytest
from toolbelt.cargo_run import run_test

pytestmark = pytest.mark.slow


def test_streams_every_suite_then_reports_failures_with_frames(fixture_crate) -> None:
    root = fixture_crate("tests_failing")
    events: list[tt.TestEvent] = []
    report = run_test(root, backtrace=True, on_event=events.append)
    assert report.status == "failed", report.message
    assert [s.name for s in report.suites] == ["src/lib.rs", "tests/api.rs", "doctests tests_failing"]
    streamed = {e.result.name for e in events if isinstance(e, tt.TestFinished)}
    assert streamed == {t.name for t in report.tests} and len(streamed) == 9
    first_done = next(i for i, e in enumerate(events) if isinstance(e, tt.SuiteFinished))
    assert isinstance(events[0], tt.SuiteStarted) and first_done > 0
    panic = next(t for t in report.tests if t.name == "tests::digits_add_up").failure
    assert panic is not None and [f.function for f in panic.frames][:2] == [
        "tests_failing::digit_value",
        "tests_failing::sum_digits",
    ]


def test_exact_filters_run_only_the_named_tests(fixture_crate) -> None:
    report = run_test(
        fixture_crate("tests_failing"), test_filters=["tests::doubles", "greets_by_name"], exact=True
    )
    assert report.status == "failed"
    assert sorted((t.name, t.status) for t in report.tests) == [
        ("greets_by_name", "failed"),
        ("tests::doubles", "ok"),
    ]
    assert sum(s.filtered_out for s in report.suites) == 7


def test_hung_test_is_a_timeout_naming_its_suite(fixture_crate) -> None:
    root = fixture_crate("tests_failing")
    run_test(root, test_filters=["tests::doubles"], exact=True)  # build first: the limit is for the test
    t0 = time.monotonic()
    report = run_test(root, timeout_s=5, env_extra={"TESTS_FAILING_HANG": "1"})
    assert report.status == "timeout"
    assert time.monotonic() - t0 < 30
    assert "5 s" in report.message and "src/lib.rs was still running: 4 of 5" in report.message


def test_broken_build_is_build_failed_with_errors(fixture_crate) -> None:
    root = fixture_crate("tests_failing")
    lib = root / "src" / "lib.rs"
    lib.write_text(lib.read_text().replace("x * 2", "x * two"))
    report = run_test(root)
    assert report.status == "build_failed"
    assert [d.code_str for d in report.diagnostics if d.level == "error"] == ["E0425"]
    assert report.tests == ()
