"""Failing tests explained from captured real output of two fixture crates: the story's facts (the
assertion's source, left/right, the deepest user frame) and its guesses, marked as guesses."""

from __future__ import annotations

from pathlib import Path

from engine.testexplain.story import explain_failure, read_sources
from toolbelt.testparse import parse_run

FIXTURES = Path(__file__).parents[1] / "fixtures"


def _failed(captured: str, crate: str) -> dict:
    raw = (FIXTURES / "captured" / captured).read_text()
    tests, _, _ = parse_run("\n".join(ln for ln in raw.splitlines() if not ln.lstrip().startswith("{")))
    sources = read_sources(FIXTURES / crate)
    return {t.name: explain_failure(t, sources) for t in tests if t.status == "failed"}


def test_assert_eq_in_the_test_names_the_called_function_as_a_guess() -> None:
    s = _failed("tests_failing.test.txt", "tests_failing")["tests::average_of_three"]
    assert (s.states, s.states_at) == ("assert_eq!(average(&[1, 2, 3]), 2);", "src/lib.rs:68")
    assert s.happened == "`average(&[1, 2, 3])` is 1, not 2."
    assert (s.where_basis, s.where_at) == ("test_line", "src/lib.rs:18")
    assert s.where.startswith("My guess is `average`")
    assert any("it gives 1 where the test wants 2" in step for step in s.next_steps)


def test_same_shape_on_a_second_crate_with_a_custom_message_and_no_backtrace() -> None:
    s = _failed("libtest_mix.test.txt", "libtest_mix")["tests::fails"]
    assert s.states == 'assert_eq!(double(2), 5, "double is wrong");'
    assert s.happened == "`double(2)` is 4, not 5."
    assert (s.where_basis, s.where_at) == ("test_line", "src/lib.rs:1")


def test_panic_deep_in_the_crate_is_located_by_the_backtrace() -> None:
    s = _failed("tests_failing.test.txt", "tests_failing")["tests::digits_add_up"]
    assert (s.states, s.states_at) == ('assert_eq!(sum_digits("12x"), 3);', "src/lib.rs:78")
    assert s.happened == "it panicked: not a digit: 'x'"
    assert (s.where_basis, s.where_at) == ("backtrace", "src/lib.rs:30")
    assert "`digit_value`" in s.where and "`sum_digits` (src/lib.rs:35)" in s.where


def test_assert_and_integration_test_and_doctest() -> None:
    stories = _failed("tests_failing.test.txt", "tests_failing")
    even = stories["tests::four_is_even"]
    assert (even.kind, even.happened, even.where_at) == ("assert", "`is_even(4)` is false.", "src/lib.rs:23")
    greet = stories["greets_by_name"]
    assert greet.states_at == "tests/api.rs:10" and greet.where_at == "src/lib.rs:38"
    assert greet.happened == '`greeting("Ann")` is "Hello Ann!", not "Hello, Ann!".'
    doc = stories["src/lib.rs - average (line 15)"]
    # rustdoc's own line numbers are not trusted; the doctest's one assertion is read from its block
    assert (doc.states, doc.states_at) == ("assert_eq!(tests_failing::average(&[2, 4]), 3);", "src/lib.rs:16")
    assert all(s.prompt and s.where for s in stories.values())


def test_no_location_at_all_says_so() -> None:
    from toolbelt import types as tt

    result = tt.TestResult(name="returns_err", status="failed", output="Error: Parse", suite="tests/x.rs")
    s = explain_failure(result, {})
    assert (s.where_basis, s.where_at, s.states) == ("none", "", "")
    assert s.where == "I cannot say where: libtest gave no location in your crate."
