"""One root cause, one story: an unresolved name used three times is one explanation."""

from __future__ import annotations

from pathlib import Path

import pytest

from engine.explain.api import explain_diagnostics, explain_report
from toolbelt.types import CheckReport, Diagnostic, DiagnosticCode, Span


@pytest.mark.slow
@pytest.mark.xdist_group("explain-engine")
def test_unresolved_name_cascade_is_one_story(cascade: CheckReport) -> None:
    stories = [e for e in explain_report(cascade) if "HashMap" in e.message]
    assert len(stories) == 1
    (e,) = stories
    assert len(e.diagnostics) == 3
    assert {d.code_str for d in e.diagnostics} == {"E0433", "E0425"} or {
        d.code_str for d in e.diagnostics
    } == {"E0433", "E0412"}
    assert (e.root_cause.file, e.root_cause.line) == ("src/lib.rs", 4)  # the first use
    assert any("diagnostics to this root cause" in f for f in e.facts)
    # every diagnostic suggests the same import: one patch, one `use` line
    assert e.patch is not None
    assert e.patch.diff.count("+use std::collections::HashMap;") == 1


@pytest.mark.slow
@pytest.mark.xdist_group("explain-engine")
def test_distinct_mistakes_stay_distinct(cascade: CheckReport, mixed: CheckReport) -> None:
    assert len(explain_report(cascade)) == 3
    codes = [e.code for e in explain_report(mixed)]
    assert codes.count("E0308") == 2  # two mismatches with different origins are two stories
    assert codes.count("E0425") == 1  # `foo` twice on one line is one story
    assert sum(len(e.diagnostics) for e in explain_report(mixed)) == len(
        [d for d in mixed.diagnostics if d.level in ("error", "warning")]
    )


def _diag(code: str, level: str, line: int, label: str, moved_line: int) -> Diagnostic:
    def span(ln: int, primary: bool, lab: str) -> Span:
        return Span(
            file_name="src/lib.rs",
            byte_start=ln * 10,
            byte_end=ln * 10 + 3,
            line_start=ln,
            line_end=ln,
            column_start=5,
            column_end=8,
            is_primary=primary,
            label=lab,
        )

    return Diagnostic(
        message=f"use of moved value: `v` ({label})",
        level=level,
        code=DiagnosticCode(code=code),
        spans=(span(line, True, label), span(moved_line, False, "value moved here")),
    )


def test_same_root_cause_same_severity_is_one_story(tmp_path: Path) -> None:
    (tmp_path / "src").mkdir()
    (tmp_path / "src" / "lib.rs").write_text("\n" * 40)
    a = _diag("E0382", "error", 12, "value used here after move", 10)
    b = _diag("E0382", "error", 14, "value borrowed here after move", 10)
    c = _diag("E0382", "error", 20, "value used here after move", 18)
    w = _diag("E0382", "warning", 22, "value used here after move", 10)  # never mixed with errors
    stories = explain_diagnostics([a, b, c, w], tmp_path)
    assert [len(e.diagnostics) for e in stories] == [2, 1, 1]
    assert stories[0].root_cause.line == 10 and stories[0].primary.line == 12
    assert stories[2].level == "warning"
