"""Parse libtest's human output into per-test results, suites and failures. Pure: text in, Structs out.

Stable libtest has no JSON output (`--format json` needs nightly), so the plain form is parsed:
`Running ...`/`Doc-tests ...` headers, `running N tests`, `test NAME ... ok|FAILED|ignored` lines,
the `---- NAME stdout ----` sections of failures and the `test result:` summary of each suite.
`LibtestAnalyzer` is fed one line at a time, so a run can be shown as it streams; `parse_libtest`
feeds it a whole text.

A failure section is read for the panic: its location, its message, `assert_eq!`'s `left`/`right`,
and, with RUST_BACKTRACE=1, the backtrace frames that are in the user's crate.
"""

from __future__ import annotations

import re
from typing import Literal

from toolbelt.diagnostics import in_user_crate
from toolbelt.types import (
    DocSite,
    FailureKind,
    Frame,
    SuiteFinished,
    SuiteResult,
    SuiteStarted,
    TestEvent,
    TestFailure,
    TestFinished,
    TestResult,
    TestSlow,
    TestStatus,
)

SuiteKind = Literal["unit", "integration", "doctest", "other"]
_STATUS: dict[str, TestStatus] = {"ok": "ok", "FAILED": "failed", "ignored": "ignored"}
# Doc-test names contain spaces ("src/lib.rs - double (line 3)"), so the name runs up to " ... ".
_RESULT = re.compile(
    r"^test (?P<name>.+?)(?: - (?:should panic|compile fail|compile))? \.\.\. "
    r"(?P<st>ok|FAILED|ignored)(?:, .*)?$"
)
# rustdoc names a doctest FILE - ITEM (line N); ITEM is absent for a module's own `//!` docs.
_DOC_NAME = re.compile(r"^(?P<file>\S+\.rs) - (?:(?P<item>.*?) )?\(line (?P<line>\d+)\)$")
_SECTION = re.compile(r"^---- (?P<name>.+?) stdout ----$")
_SUITE = re.compile(r"^\s*(?:Running (?P<unit>unittests )?(?P<suite>\S+)|Doc-tests (?P<doc>\S+))")
_RUNNING = re.compile(r"^running (?P<n>\d+) tests?$")
_SLOW = re.compile(r"^test (?P<name>.+?) has been running for over \d+ seconds$")
_SUMMARY = re.compile(
    r"^test result: (?:ok|FAILED)\. (?P<passed>\d+) passed; (?P<failed>\d+) failed; "
    r"(?P<ignored>\d+) ignored; \d+ measured; (?P<filtered>\d+) filtered out"
    r"(?:; finished in (?P<secs>[\d.]+)s)?"
)
# Rust 1.73 and later: the location ends the line and the message follows; an optional thread id.
_PANIC = re.compile(
    r"^thread '(?P<thread>[^']*)'(?: \(\d+\))? panicked at (?P<file>.+?):(?P<line>\d+):(?P<col>\d+):$"
)
# Before 1.73: the message is quoted on the same line, the location after it.
_PANIC_OLD = re.compile(
    r"^thread '(?P<thread>[^']*)' panicked at '(?P<msg>.*)', (?P<file>.+?):(?P<line>\d+):(?P<col>\d+)$"
)
_FRAME = re.compile(r"^\s*\d+: (?P<fn>.+)$")
_AT = re.compile(r"^\s+at (?P<file>.+?):(?P<line>\d+):(?P<col>\d+)$")
_ASSERT_EQ = re.compile(r"^assertion `left (?P<op>==|!=) right` failed(?::\s?(?P<custom>.*))?$")
_ASSERT = re.compile(r"^assertion failed: (?P<cond>.+)$")
_MESSAGE_END = ("stack backtrace:", "note: run with `RUST_BACKTRACE", "note: Some details are omitted")


def _suite_of(m: re.Match[str]) -> tuple[str, SuiteKind]:
    if m.group("doc"):
        return f"doctests {m.group('doc')}", "doctest"
    name = m.group("suite")
    if m.group("unit"):
        return name, "unit"
    return name, "integration" if name.startswith("tests/") else "other"


class LibtestAnalyzer:
    """Fed libtest's lines in order, it says what happened as it happens and keeps the whole run.

    Tests are keyed by (suite, name): two integration files may each have a test `it_works`.
    """

    def __init__(self) -> None:
        self._suite = ""
        self._kind: SuiteKind = "other"
        self._planned = 0
        self._status: dict[tuple[str, str], TestStatus] = {}
        self._outputs: dict[tuple[str, str], list[str]] = {}
        self._section: tuple[str, str] | None = None
        self._suites: list[SuiteResult] = []
        self._open = False  # a suite said `running N tests` and has not summed up yet

    def feed(self, line: str) -> tuple[TestEvent, ...]:
        line = line.rstrip("\r\n")
        bare = line.strip()
        if m := _SUITE.match(line):
            self._suite, self._kind = _suite_of(m)
            self._section = None
            return ()
        if m := _RUNNING.match(bare):
            self._planned, self._open, self._section = int(m.group("n")), True, None
            return (SuiteStarted(suite=self._suite, kind=self._kind, planned=self._planned),)
        if m := _RESULT.match(bare):
            key = (self._suite, m.group("name"))
            self._status[key] = _STATUS[m.group("st")]
            self._section = None
            return (TestFinished(result=self._result(key, with_failure=False)),)
        if m := _SLOW.match(bare):
            return (TestSlow(name=m.group("name"), suite=self._suite),)
        if m := _SECTION.match(bare):
            self._section = (self._suite, m.group("name"))
            self._outputs[self._section] = []
            return ()
        if m := _SUMMARY.match(bare):
            self._section = None
            return (self._finish(m),)
        if self._section is not None:
            if bare == "failures:":
                self._section = None
            else:
                self._outputs[self._section].append(line)
        return ()

    def _finish(self, m: re.Match[str]) -> SuiteFinished:
        secs = m.group("secs")
        suite = SuiteResult(
            name=self._suite,
            kind=self._kind,
            planned=self._planned,
            passed=int(m.group("passed")),
            failed=int(m.group("failed")),
            ignored=int(m.group("ignored")),
            filtered_out=int(m.group("filtered")),
            duration_s=float(secs) if secs is not None else None,
        )
        self._suites.append(suite)
        self._open = False
        failures = tuple(
            self._result(k, with_failure=True)
            for k, s in self._status.items()
            if k[0] == self._suite and s == "failed"
        )
        return SuiteFinished(suite=suite, failures=failures)

    def _result(self, key: tuple[str, str], *, with_failure: bool) -> TestResult:
        suite, name = key
        output = "\n".join(self._outputs.get(key, [])).strip()
        status = self._status[key]
        failure = None
        if with_failure and status == "failed":
            failure = parse_failure(output, name, doctest=suite.startswith("doctests "))
        doc = doc_site(name) if suite.startswith("doctests ") else None
        return TestResult(name=name, status=status, output=output, suite=suite, failure=failure, doc=doc)

    def results(self) -> tuple[TestResult, ...]:
        return tuple(self._result(k, with_failure=True) for k in self._status)

    def suites(self) -> tuple[SuiteResult, ...]:
        """Every suite that summed up, then the one still running when the output stopped, if any."""
        if not self._open:
            return tuple(self._suites)
        mine = [s for k, s in self._status.items() if k[0] == self._suite]
        unfinished = SuiteResult(
            name=self._suite,
            kind=self._kind,
            planned=self._planned,
            passed=mine.count("ok"),
            failed=mine.count("failed"),
            ignored=mine.count("ignored"),
        )
        return (*self._suites, unfinished)

    @property
    def running_suite(self) -> str | None:
        """The suite that started and never summed up: where a hung test is."""
        return self._suite if self._open else None


def doc_site(name: str) -> DocSite | None:
    """The file, fence line and item a doctest's name gives; None for a name that is not rustdoc's."""
    m = _DOC_NAME.match(name)
    if m is None:
        return None
    return DocSite(file=m.group("file"), line=int(m.group("line")), item=m.group("item") or "")


def doc_filter(name: str) -> str:
    """One space-free word of a doctest's name (or of a filter with spaces) to hand libtest.

    rustdoc splits its test arguments on whitespace and libtest runs a test that contains any one of
    them, so `src/lib.rs - parse (line 14)` given whole would run every doctest of the crate (all hold
    `(line`). The item's path names the fewest (one per code block in that item's docs); a module's
    own docs have no item, and then the line number with its closing bracket (`14)`) does. The
    caller narrows the results to the names it asked for.
    """
    site = doc_site(name)
    if site is not None:
        return max(site.item.split(), key=len) if site.item.strip() else f"{site.line})"
    words = [w for w in name.split() if w not in ("-", "(line")]
    return max(words, key=len) if words else name.strip()


def parse_libtest(text: str) -> tuple[TestResult, ...]:
    analyzer = LibtestAnalyzer()
    for line in text.splitlines():
        analyzer.feed(line)
    return analyzer.results()


def parse_run(text: str) -> tuple[tuple[TestResult, ...], tuple[SuiteResult, ...], str | None]:
    """Results, suites and the suite left running (None when every suite summed up)."""
    analyzer = LibtestAnalyzer()
    for line in text.splitlines():
        analyzer.feed(line)
    return analyzer.results(), analyzer.suites(), analyzer.running_suite


def parse_failure(output: str, test_name: str = "", *, doctest: bool = False) -> TestFailure | None:
    """The panic in one failure section; None when the section is empty.

    Without a panic line (a test returning `Err`, a doctest that did not compile, a `should_panic`
    test that did not panic) the message is the section's most telling line and there is no location.
    """
    lines = output.splitlines()
    if not any(ln.strip() for ln in lines):
        return None
    for i, ln in enumerate(lines):
        if m := _PANIC.match(ln.strip()):
            body = _message_lines(lines[i + 1 :])
            return _failure(m, body, lines[i + 1 :], test_name, doctest)
        if m := _PANIC_OLD.match(ln.strip()):
            return _failure(m, [m.group("msg")], lines[i + 1 :], test_name, doctest)
    return TestFailure(message=_telling_line(lines), kind="other")


def _message_lines(rest: list[str]) -> list[str]:
    body: list[str] = []
    for ln in rest:
        if ln.startswith(_MESSAGE_END):
            break
        body.append(ln)
    while body and not body[-1].strip():
        body.pop()
    return body


def _failure(
    m: re.Match[str], body: list[str], rest: list[str], test_name: str, doctest: bool
) -> TestFailure:
    file = m.group("file")
    located = in_user_crate(file) and not doctest
    kind, message, left, right = _assertion(body)
    return TestFailure(
        message=message,
        kind=kind,
        left=left,
        right=right,
        file=file if located else "",
        line=int(m.group("line")) if located else 0,
        column=int(m.group("col")) if located else 0,
        frames=user_frames(rest, test_name),
    )


def _assertion(body: list[str]) -> tuple[FailureKind, str, str | None, str | None]:
    """(kind, message, left, right) from the panic message's lines."""
    first = body[0] if body else ""
    if m := _ASSERT_EQ.match(first):
        left: list[str] = []
        right: list[str] = []
        into = None
        for ln in body[1:]:
            if ln.startswith("  left: "):
                into, ln = left, ln.removeprefix("  left: ")
            elif ln.startswith(" right: "):
                into, ln = right, ln.removeprefix(" right: ")
            if into is not None:
                into.append(ln)
        kind: FailureKind = "assert_eq" if m.group("op") == "==" else "assert_ne"
        if left and right:
            return kind, first, "\n".join(left), "\n".join(right)
        return kind, "\n".join(body), None, None
    if _ASSERT.match(first):
        return "assert", "\n".join(body), None, None
    return "panic", "\n".join(body) or "(the panic had no message)", None, None


def user_frames(lines: list[str], test_name: str = "") -> tuple[Frame, ...]:
    """The backtrace's frames in the user's crate, innermost first.

    Frames in std, core, test and dependencies carry absolute paths (`/rustc/...`, the registry) or
    none at all and are dropped; so is the harness's closure around the test function, which points
    at the `fn` line rather than at anything the test did.
    """
    out: list[Frame] = []
    started = False
    function: str | None = None
    for ln in lines:
        if ln.startswith("stack backtrace:"):
            started = True
            continue
        if not started:
            continue
        if m := _FRAME.match(ln):
            function = m.group("fn").strip()
            continue
        if (m := _AT.match(ln)) and function is not None:
            file = m.group("file").removeprefix("./")
            harness = function.endswith("::{{closure}}") and (
                not test_name or function.removesuffix("::{{closure}}").endswith(test_name)
            )
            if in_user_crate(file) and not harness:
                out.append(
                    Frame(function=function, file=file, line=int(m.group("line")), column=int(m.group("col")))
                )
            function = None
            continue
        if ln.startswith("note: "):
            break
    return tuple(out)


def _telling_line(lines: list[str]) -> str:
    for ln in lines:
        s = ln.strip()
        if s.startswith(("error", "Error: ", "note: test did not panic")):
            return s
    return next((ln.strip() for ln in reversed(lines) if ln.strip()), "")
