"""The verdict of a test run: its exit code and the `rusta test --json` object. Pure."""

from __future__ import annotations

from engine.testexplain.types import TestRunView, TestStory
from toolbelt.diag_identity import distinct
from toolbelt.types import Diagnostic, TestReport

EXIT_PASSED, EXIT_FAILED, EXIT_NO_VERDICT = 0, 1, 2


def exit_code(report: TestReport) -> int:
    """0 every test passed, 1 tests failed, 2 the tests could not run (build failed, timeout, error)."""
    return {"passed": EXIT_PASSED, "failed": EXIT_FAILED}.get(report.status, EXIT_NO_VERDICT)


def build_error_list(report: TestReport) -> list[Diagnostic]:
    """Each compile error once: `cargo test` builds the lib twice (lib and lib test), and rustc reports
    an error once per target, sometimes naming a type by two paths (the demo crate's E0369 said 5
    errors for its 4)."""
    return [d for d in distinct(report.diagnostics) if d.level.startswith("error")]


def build_errors(report: TestReport) -> int:
    return len(build_error_list(report))


def run_view(report: TestReport, stories: tuple[TestStory, ...] = ()) -> TestRunView:
    return TestRunView(
        crate_root=report.crate_root,
        status=report.status,
        exit_code=exit_code(report),
        message=report.message,
        build_errors=build_errors(report),
        suites=report.suites,
        tests=report.tests,
        stories=stories,
        errors=tuple(d for d in report.diagnostics if d.level.startswith("error")),
        toolchain=report.toolchain,
    )
