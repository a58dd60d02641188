"""libtest's human output, parsed: real `cargo test` output of tests/fixtures/tests_failing (captured
with RUST_BACKTRACE=1, see tests/fixtures/captured/README.md), plus the older panic format."""

from __future__ import annotations

from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st

from toolbelt import types as tt  # its Test* classes would look like tests to pytest
from toolbelt.testparse import LibtestAnalyzer, parse_failure, parse_run

CAPTURED = Path(__file__).parents[1] / "fixtures" / "captured"


def _text() -> str:
    raw = (CAPTURED / "tests_failing.test.txt").read_text()
    return "\n".join(ln for ln in raw.splitlines() if not ln.lstrip().startswith("{"))


def _by_name():
    tests, _, _ = parse_run(_text())
    return {t.name: t for t in tests}


def test_every_test_of_every_suite_with_its_suite() -> None:
    tests, suites, running = parse_run(_text())
    assert running is None
    assert [(t.suite, t.name, t.status) for t in tests] == [
        ("src/lib.rs", "tests::digits_add_up", "failed"),
        ("src/lib.rs", "tests::average_of_three", "failed"),
        ("src/lib.rs", "tests::doubles", "ok"),
        ("src/lib.rs", "tests::four_is_even", "failed"),
        ("src/lib.rs", "tests::waits_when_told", "ok"),
        ("tests/api.rs", "clamps_above", "ok"),
        ("tests/api.rs", "greets_by_name", "failed"),
        ("doctests tests_failing", "src/lib.rs - double (line 6)", "ok"),
        ("doctests tests_failing", "src/lib.rs - average (line 15)", "failed"),
    ]
    assert [(s.name, s.kind, s.planned, s.passed, s.failed, s.duration_s) for s in suites] == [
        ("src/lib.rs", "unit", 5, 2, 3, 0.07),
        ("tests/api.rs", "integration", 2, 1, 1, 0.16),
        ("doctests tests_failing", "doctest", 2, 1, 1, 0.28),
    ]
    assert all(t.duration_s is None for t in tests), "stable libtest gives no per-test time"


def test_assert_eq_gives_left_right_and_location() -> None:
    f = _by_name()["tests::average_of_three"].failure
    assert f is not None
    assert (f.kind, f.left, f.right, f.file, f.line, f.column) == ("assert_eq", "1", "2", "src/lib.rs", 68, 9)
    assert f.frames == (
        tt.Frame(function="tests_failing::tests::average_of_three", file="src/lib.rs", line=68, column=9),
    )
    strings = _by_name()["greets_by_name"].failure
    assert strings is not None
    assert (strings.left, strings.right, strings.file) == ('"Hello Ann!"', '"Hello, Ann!"', "tests/api.rs")


def test_assert_and_panic_in_library_code() -> None:
    f = _by_name()["tests::four_is_even"].failure
    assert f is not None and (f.kind, f.message, f.line) == ("assert", "assertion failed: is_even(4)", 73)
    p = _by_name()["tests::digits_add_up"].failure
    assert p is not None and (p.kind, p.message) == ("panic", "not a digit: 'x'")
    # std, core and the harness's closure dropped; the user's frames innermost first
    assert [(fr.function, fr.line) for fr in p.frames] == [
        ("tests_failing::digit_value", 30),
        ("tests_failing::sum_digits", 35),
        ("tests_failing::tests::digits_add_up", 78),
    ]


def test_doctest_failure_has_no_false_location() -> None:
    f = _by_name()["src/lib.rs - average (line 15)"].failure
    assert f is not None and f.kind == "assert_eq" and (f.left, f.right) == ("2", "3")
    assert (f.file, f.line, f.frames) == ("", 0, ())  # rustdoc's line 5 is not a line of src/lib.rs


def test_streaming_events_in_order() -> None:
    analyzer = LibtestAnalyzer()
    events = [e for ln in _text().splitlines() for e in analyzer.feed(ln + "\n")]
    kinds = [type(e).__name__ for e in events]
    assert (
        kinds[0] == "SuiteStarted" and kinds.count("SuiteStarted") == 3 and kinds.count("TestFinished") == 9
    )
    first = events[0]
    assert isinstance(first, tt.SuiteStarted) and (first.suite, first.planned) == ("src/lib.rs", 5)
    done = [e for e in events if isinstance(e, tt.SuiteFinished)]
    assert [len(e.failures) for e in done] == [3, 1, 1]
    assert all(f.failure is not None for e in done for f in e.failures)
    fin = [e for e in events if isinstance(e, tt.TestFinished)]
    assert fin[0].result.failure is None  # details arrive with the suite's end, not before


def test_cut_off_run_names_the_running_suite() -> None:
    text = _text()
    cut = text[: text.index("test tests::waits_when_told")]
    _, suites, running = parse_run(cut)
    assert running == "src/lib.rs"
    assert (suites[-1].planned, suites[-1].passed, suites[-1].failed, suites[-1].duration_s) == (
        5,
        1,
        3,
        None,
    )


def test_pre_173_panic_format_and_section_without_panic() -> None:
    old = "thread 'tests::x' panicked at 'assertion failed: y > 2', src/lib.rs:9:5\n"
    f = parse_failure(old, "tests::x")
    assert f is not None and (f.kind, f.file, f.line) == ("assert", "src/lib.rs", 9)
    err = parse_failure("Error: ParseIntError { kind: InvalidDigit }\n", "parses")
    assert err is not None and (err.kind, err.message, err.file) == (
        "other",
        "Error: ParseIntError { kind: InvalidDigit }",
        "",
    )
    assert parse_failure("") is None


def test_assert_ne_and_custom_message() -> None:
    text = "thread 'a' (1) panicked at tests/t.rs:3:5:\nassertion `left != right` failed: must differ\n  left: 1\n right: 1\n"
    f = parse_failure(text, "a")
    assert f is not None and (f.kind, f.left, f.right, f.file) == ("assert_ne", "1", "1", "tests/t.rs")
    assert "must differ" in f.message


@given(st.lists(st.text(max_size=120), max_size=40))
def test_analyzer_never_raises(lines: list[str]) -> None:
    analyzer = LibtestAnalyzer()
    for ln in lines:
        analyzer.feed(ln)
    analyzer.results()
    analyzer.suites()
