"""Structs that cross the toolbelt's edge: process results, rustc diagnostics, test results, reports.

The diagnostic Structs mirror rustc's JSON format field for field (see rustc's
`src/doc/rustc/src/json.md`) so nothing the compiler says is lost on the way to explain/repair/TUI.
"""

from __future__ import annotations

from typing import Literal

import msgspec


class Base(msgspec.Struct, frozen=True, kw_only=True):
    """Common base: frozen, keyword-only."""


# --- processes ---------------------------------------------------------------------------------

Outcome = Literal["ok", "failed", "timeout", "killed", "output_cap", "error"]


class ProcessResult(Base, frozen=True):
    """What happened to one external process run under Rusta's limits.

    `outcome` is the verdict: a timeout or a kill is never "ok", whatever the exit code said.
    """

    argv: tuple[str, ...]
    cwd: str
    returncode: int | None
    outcome: Outcome
    stdout: bytes = b""
    stderr: bytes = b""
    duration_s: float = 0.0
    truncated: bool = False
    note: str = ""


# --- rustc / clippy diagnostics -----------------------------------------------------------------

Applicability = Literal["MachineApplicable", "MaybeIncorrect", "HasPlaceholders", "Unspecified"]


class SpanLine(Base, frozen=True):
    """One line of source under a span, with the highlighted columns (1-based, end exclusive)."""

    text: str
    highlight_start: int
    highlight_end: int


class Expansion(Base, frozen=True):
    """The macro expansion a span came from."""

    span: Span
    macro_decl_name: str
    def_site_span: Span | None = None


class Span(Base, frozen=True):
    file_name: str
    byte_start: int
    byte_end: int
    line_start: int
    line_end: int
    column_start: int
    column_end: int
    is_primary: bool
    text: tuple[SpanLine, ...] = ()
    label: str | None = None
    suggested_replacement: str | None = None
    suggestion_applicability: Applicability | None = None
    expansion: Expansion | None = None


class DiagnosticCode(Base, frozen=True):
    code: str
    explanation: str | None = None


class Diagnostic(Base, frozen=True):
    """One rustc or clippy diagnostic, children included (notes, help, suggestions)."""

    message: str
    level: str  # "error", "warning", "note", "help", "failure-note", "error: internal compiler error"
    code: DiagnosticCode | None = None
    spans: tuple[Span, ...] = ()
    children: tuple[Diagnostic, ...] = ()
    rendered: str | None = None
    # Added by Rusta: which tool produced it and which cargo target it belongs to.
    tool: Literal["rustc", "clippy"] = "rustc"
    package_id: str = ""
    target: str = ""

    @property
    def code_str(self) -> str | None:
        return self.code.code if self.code else None

    @property
    def primary(self) -> Span | None:
        for s in self.spans:
            if s.is_primary:
                return s
        return self.spans[0] if self.spans else None


# --- tests --------------------------------------------------------------------------------------

TestStatus = Literal["ok", "failed", "ignored"]
FailureKind = Literal["assert_eq", "assert_ne", "assert", "panic", "other"]


class Frame(Base, frozen=True):
    """One backtrace frame in the user's crate: the function and where it stood (file relative to the
    crate, as libtest prints it)."""

    function: str
    file: str
    line: int
    column: int = 0


class TestFailure(Base, frozen=True):
    """What a failing test's panic said, parsed from libtest's report of it.

    `left`/`right` are set only for `assert_eq!`/`assert_ne!`; `frames` holds only the user's frames,
    innermost first (RUST_BACKTRACE=1), empty when the run had no backtrace. A doctest's location is in
    rustdoc's own numbering, so it is left out (`file` empty).
    """

    message: str
    kind: FailureKind = "panic"
    left: str | None = None
    right: str | None = None
    file: str = ""
    line: int = 0
    column: int = 0
    frames: tuple[Frame, ...] = ()


class DocSite(Base, frozen=True):
    """Where a doctest sits, read from rustdoc's name for it (`src/lib.rs - parse (line 14)`): the file,
    the line of the code block's opening fence, and the item whose docs hold it ("" for a module's or
    the crate's own `//!` docs). rustdoc numbers a doctest's panic in its own generated file, so this
    is the one location of a failing doctest that points into the user's source."""

    file: str
    line: int
    item: str = ""


class TestResult(Base, frozen=True):
    name: str
    status: TestStatus
    output: str = ""
    duration_s: float | None = None  # stable libtest times suites, not tests: None there
    suite: str = ""
    failure: TestFailure | None = None
    doc: DocSite | None = None  # set for a doctest only


class SuiteResult(Base, frozen=True):
    """One test binary's run: `unittests src/lib.rs`, `tests/api.rs`, or a crate's doctests.

    `duration_s` is libtest's own "finished in" figure; None when the suite never finished (timeout).
    """

    name: str
    kind: Literal["unit", "integration", "doctest", "other"]
    planned: int = 0
    passed: int = 0
    failed: int = 0
    ignored: int = 0
    filtered_out: int = 0
    duration_s: float | None = None


class SuiteStarted(Base, tag="suite_started", frozen=True):
    """A test binary began: `running N tests`."""

    suite: str
    kind: Literal["unit", "integration", "doctest", "other"]
    planned: int


class TestFinished(Base, tag="test_finished", frozen=True):
    """One `test NAME ... ok|FAILED|ignored` line; the failure's details come with SuiteFinished."""

    result: TestResult


class TestSlow(Base, tag="test_slow", frozen=True):
    """libtest's own warning: the test has been running for over 60 seconds."""

    name: str
    suite: str


class SuiteFinished(Base, tag="suite_finished", frozen=True):
    suite: SuiteResult
    failures: tuple[TestResult, ...] = ()


TestEvent = SuiteStarted | TestFinished | TestSlow | SuiteFinished


# --- toolchain ----------------------------------------------------------------------------------


class Toolchain(Base, frozen=True):
    """Exact versions used for a run; recorded with every report and DevLog record."""

    rustc: str = ""
    cargo: str = ""
    clippy: str = ""
    rustfmt: str = ""
    pinned: str | None = None  # channel from rust-toolchain(.toml), if the crate pins one


# --- reports ------------------------------------------------------------------------------------

ReportStatus = Literal["clean", "diagnostics", "failed", "timeout", "error"]
CheckTool = Literal["check", "clippy"]
TestReportStatus = Literal["passed", "failed", "build_failed", "timeout", "error"]
FmtStatus = Literal["formatted", "unformatted", "error", "timeout"]


class CheckReport(Base, frozen=True):
    """The result of `cargo check`/`cargo clippy` on one crate."""

    crate_root: str
    tool: CheckTool
    status: ReportStatus
    diagnostics: tuple[Diagnostic, ...] = ()
    process: ProcessResult | None = None
    toolchain: Toolchain | None = None
    message: str = ""  # one sentence when status is failed/timeout/error


class TestReport(Base, frozen=True):
    """The result of `cargo test` on one crate."""

    crate_root: str
    status: TestReportStatus
    tests: tuple[TestResult, ...] = ()
    suites: tuple[SuiteResult, ...] = ()
    diagnostics: tuple[Diagnostic, ...] = ()
    process: ProcessResult | None = None
    toolchain: Toolchain | None = None
    message: str = ""


class FmtReport(Base, frozen=True):
    crate_root: str
    status: FmtStatus
    files: tuple[str, ...] = ()
    process: ProcessResult | None = None
    message: str = ""
