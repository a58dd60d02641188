"""Re-running tests by name, doctests included, on stable.

libtest matches a filter as a substring of the test's name (or, with `--exact`, the whole name), but
rustdoc splits its test arguments on whitespace and every doctest's name has spaces
(`src/lib.rs - parse (line 14)`). So a doctest is re-run in a `cargo test --doc` run of its own, by
one space-free word of its name (`toolbelt.testparse.doc_filter`), and that run's report is narrowed
to the names asked for: the other doctests the word also matched ran, but are not reported as asked.
A filter with spaces can only name doctests (no other test's name has one), so it goes the same way.
Pure: names in, plans out; reports in, reports out.
"""

from __future__ import annotations

from collections.abc import Iterable

import msgspec

from engine.testexplain.types import FailedTest
from toolbelt.testparse import doc_filter
from toolbelt.types import (
    SuiteFinished,
    SuiteResult,
    TestEvent,
    TestFinished,
    TestReport,
    TestResult,
)


class Rerun(msgspec.Struct, frozen=True, kw_only=True):
    """One `cargo test` run of a plan: its libtest filters, `--exact`, `--doc`, and, for a doctest run,
    the names to report (a result is kept when its name contains one of them, as libtest matches)."""

    filters: tuple[str, ...] = ()
    exact: bool = False
    doc: bool = False
    keep: tuple[str, ...] = ()


def is_doctest(suite: str) -> bool:
    return suite.startswith("doctests ")


def plan(test_filter: str | None = None, failed: Iterable[FailedTest] | None = None) -> list[Rerun]:
    """The runs that re-run `failed` (by exact name) or run the tests `test_filter` names; one plain
    run of everything when given neither; no run at all when `failed` is empty."""
    if failed is not None:
        failed = list(failed)
        units = sorted({f.name for f in failed if not is_doctest(f.suite)})
        docs = sorted({f.name for f in failed if is_doctest(f.suite)})
        runs = [Rerun(filters=tuple(units), exact=True)] if units else []
        if docs:
            words = tuple(dict.fromkeys(doc_filter(n) for n in docs))
            runs.append(Rerun(filters=words, doc=True, keep=tuple(docs)))
        return runs
    if test_filter and any(c.isspace() for c in test_filter):
        return [Rerun(filters=(doc_filter(test_filter),), doc=True, keep=(test_filter.strip(),))]
    return [Rerun(filters=(test_filter,) if test_filter else ())]


def kept(run: Rerun, name: str) -> bool:
    return not run.keep or any(k in name for k in run.keep)


def narrowed(report: TestReport, run: Rerun) -> TestReport:
    """`report` with only the tests `run` asked for; a suite's counts are those of the kept tests."""
    if not run.keep:
        return report
    tests = tuple(t for t in report.tests if kept(run, t.name))
    suites = tuple(_recount(s, [t for t in tests if t.suite == s.name]) for s in report.suites)
    status = report.status
    if status in ("passed", "failed"):
        status = "failed" if any(t.status == "failed" for t in tests) else "passed"
    return msgspec.structs.replace(report, tests=tests, suites=suites, status=status)


def _recount(s: SuiteResult, tests: list[TestResult]) -> SuiteResult:
    ran = s.passed + s.failed + s.ignored
    return msgspec.structs.replace(
        s,
        planned=len(tests),
        passed=sum(t.status == "ok" for t in tests),
        failed=sum(t.status == "failed" for t in tests),
        ignored=sum(t.status == "ignored" for t in tests),
        filtered_out=s.filtered_out + ran - len(tests),
    )


class EventFilter:
    """Streamed events as the narrowed report will tell them: a test not asked for is dropped, and a
    doctest suite's closing counts are those of the tests kept in it."""

    def __init__(self, run: Rerun) -> None:
        self.run = run
        self._seen: list[TestResult] = []

    def __call__(self, event: TestEvent) -> TestEvent | None:
        if not self.run.keep:
            return event
        if isinstance(event, TestFinished):
            if not kept(self.run, event.result.name):
                return None
            self._seen.append(event.result)
            return event
        if isinstance(event, SuiteFinished):
            mine = [t for t in self._seen if t.suite == event.suite.name]
            failures = tuple(t for t in event.failures if kept(self.run, t.name))
            return SuiteFinished(suite=_recount(event.suite, mine), failures=failures)
        return event


def merged(reports: list[TestReport]) -> TestReport:
    """One report from the runs of a plan: every test and suite; the status the worst of theirs."""
    if len(reports) == 1:
        return reports[0]
    order = ("passed", "failed", "timeout", "build_failed", "error")
    worst = max(reports, key=lambda r: order.index(r.status) if r.status in order else len(order))
    return msgspec.structs.replace(
        worst,
        tests=tuple(t for r in reports for t in r.tests),
        suites=tuple(
            s for r in reports for s in r.suites if s.planned or not any(_ran(o, s.name) for o in reports)
        ),
        diagnostics=tuple(d for r in reports for d in r.diagnostics),
    )


def _ran(report: TestReport, suite: str) -> bool:
    """Whether `report` ran tests in `suite`: the doctest binary of an exact-name run ran none, and
    says nothing once the doctests' own run is merged in."""
    return any(s.name == suite and s.planned for s in report.suites)
