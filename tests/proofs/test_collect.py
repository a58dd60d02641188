"""The check and test proofs say exactly how far validation got (pure: fields in, Proofs out)."""

from __future__ import annotations

from engine.proofs.collect import run_proofs


def test_a_clean_check_and_passing_tests_give_counts() -> None:
    check, tests = run_proofs(
        dict(check_status="clean", errors_after=0, test_status="passed", tests_run=4, test_s=1.25)
    )
    assert check.status == "passed" and "0 error(s)" in check.detail
    assert (tests.status, tests.count, tests.passed, tests.seconds) == ("passed", 4, 4, 1.25)


def test_errors_remaining_pass_only_when_fewer_and_none_added() -> None:
    fewer = run_proofs(dict(check_status="diagnostics", errors_after=1, errors_before=3))[0]
    same = run_proofs(dict(check_status="diagnostics", errors_after=3, errors_before=3))[0]
    added = run_proofs(dict(check_status="diagnostics", errors_after=2, errors_before=3, new_errors=("e",)))[
        0
    ]
    assert [fewer.status, same.status, added.status] == ["passed", "failed", "failed"]
    assert fewer.detail == "cargo check: errors 3 -> 1, none added."


def test_tests_not_run_and_failing_tests_are_said_plainly() -> None:
    _, not_run = run_proofs(dict(check_status="diagnostics", errors_after=2, errors_before=3))
    assert not_run.status == "skipped" and "not run" in not_run.detail
    _, failed = run_proofs(
        dict(
            check_status="clean",
            test_status="failed",
            tests_run=5,
            failing_tests=("a",),
            preexisting_failures=("b",),
        )
    )
    assert (failed.status, failed.passed, failed.count) == ("failed", 3, 5)
    _, pre = run_proofs(
        dict(check_status="clean", test_status="failed", tests_run=5, preexisting_failures=("b",))
    )
    assert (
        pre.status == "passed"
        and pre.detail == "cargo test: 4 of 5 test(s) passed; 1 already failed before the patch."
    )
    _, timeout = run_proofs(dict(check_status="clean", test_status="timeout", tests_run=0))
    assert timeout.status == "failed" and timeout.detail == "cargo test timeout."
