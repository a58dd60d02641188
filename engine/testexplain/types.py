"""Structs of failing-test stories, of the `rusta test --json` object and of the failed-test memory."""

from __future__ import annotations

from typing import Literal

import msgspec

from toolbelt.types import Diagnostic, SuiteResult, TestResult, Toolchain

# how sure a failing test story is of where it went wrong (TestStory.where_basis)
WhereBasis = Literal["backtrace", "test_line", "none"]


class Base(msgspec.Struct, frozen=True, kw_only=True):
    """Common base: frozen, keyword-only."""


class Callee(Base, frozen=True):
    """A function the failing assertion calls, and where the crate defines it (empty when it does not)."""

    name: str
    file: str = ""
    line: int = 0


class SuspectLine(Base, frozen=True):
    """A line of library code test repair's localization ranks high for the run's failures."""

    file: str
    line: int
    function: str
    text: str
    p: float  # the fitted model's probability that this line holds the bug


class TestStory(Base, frozen=True):
    """One failing test, explained from facts: libtest's report, the backtrace, the test's source.

    `where_basis` says how sure the `where` is: "backtrace" when a user frame below the test names
    the place, "test_line" when the backtrace ends in the test itself and the place is a guess from
    what the assertion calls, "none" when there is no location at all (a doctest, a test returning Err).
    """

    __test__ = False

    test: str
    suite: str
    kind: Literal["assert_eq", "assert_ne", "assert", "panic", "other"]
    states: str  # the assertion's source, read from the test's file at the panic's location
    states_at: str  # FILE:LINE of that source, "" when unknown
    happened: str  # one sentence: what happened instead
    left: str | None = None
    right: str | None = None
    where: str = ""  # one sentence: where it went wrong
    where_at: str = ""  # FILE:LINE of the place named in `where`
    where_basis: WhereBasis = "none"
    callees: tuple[Callee, ...] = ()
    next_steps: tuple[str, ...] = ()
    prompt: str = ""  # study mode: the question asked before `where` is revealed
    suspects: tuple[SuspectLine, ...] = ()  # the localization's top lines, best first (`suspects.py`)
    suspects_note: str = ""  # what that ranking rests on, in words


class TestRunView(Base, kw_only=True, frozen=True):
    """`rusta test --json`: one object with the verdict, every suite, every test (failures parsed)
    and, with --explain, a story per failing test."""

    __test__ = False

    version: int = 1
    crate_root: str
    status: Literal["passed", "failed", "build_failed", "timeout", "error"]
    exit_code: int
    message: str = ""
    build_errors: int = 0
    timing: str = "per suite: stable libtest does not time single tests"
    suites: tuple[SuiteResult, ...] = ()
    tests: tuple[TestResult, ...] = ()
    stories: tuple[TestStory, ...] = ()
    errors: tuple[Diagnostic, ...] = ()
    toolchain: Toolchain | None = None


class FailedTest(Base, frozen=True):
    name: str
    suite: str


class LastRun(Base, kw_only=True, forbid_unknown_fields=True, frozen=True):
    """`.rusta/tests/last-run.json`: the tests that failed when they last ran, for `--failed`."""

    version: int = 1
    failed: tuple[FailedTest, ...] = ()
    when: float = 0.0
