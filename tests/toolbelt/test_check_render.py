"""`rusta check`'s rendering, on captured real output: grouping, order, suggestions, JSON fields."""

from __future__ import annotations

import json
from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st
from rich.console import Console

from rusta_tui.cli.check_render import counts, group_by_file, render_report
from toolbelt.diagnostics import parse_cargo_messages
from toolbelt.report_json import json_lines
from toolbelt.testparse import parse_libtest
from toolbelt.types import CheckReport, Toolchain

CAPTURED = Path(__file__).parents[1] / "fixtures" / "captured"


def _report(name: str, tool: str = "clippy") -> CheckReport:
    diags = parse_cargo_messages((CAPTURED / name).read_bytes().splitlines(), "clippy")
    tc = Toolchain(
        rustc="rustc 1.95.0 (x)", cargo="cargo 1.95.0", clippy="clippy 0.1.95 (x)", rustfmt="rustfmt 1.9"
    )
    return CheckReport(crate_root="/crate", tool=tool, status="diagnostics", diagnostics=diags, toolchain=tc)


def _text(report: CheckReport) -> str:
    console = Console(width=200, record=True, color_system=None)
    console.print(render_report(report))
    return console.export_text()


def test_groups_files_with_errors_first_and_sorts_by_line() -> None:
    groups = group_by_file(_report("demo.clippy.jsonl").diagnostics)
    assert [name for name, _ in groups] == ["src/inventory.rs", "src/lib.rs", "stats/src/lib.rs"]
    lib = dict(groups)["src/lib.rs"]
    lines = [d.primary.line_start for d in lib if d.primary]
    assert lines == sorted(lines)


def test_demo_render_reads_like_the_compiler_but_shorter() -> None:
    report = _report("demo.clippy.jsonl")
    text = _text(report)
    assert "error[E0382] 33:9  borrow of moved value: `delivery`" in text
    assert "33 │         delivery.len()" in text
    assert "^^^^^^^^ value borrowed here after move" in text
    assert "→  self.items.extend(delivery.clone());" in text  # the help applied to the line
    assert "→  #[derive(PartialEq)]" in text  # a suggestion that adds a line shows the new line
    assert "→  if prices.is_empty() {" in text
    assert "4 errors, 3 warnings  (clippy 0.1.95" in text
    assert counts(report.diagnostics) == (4, 3)
    rendered_total = sum(len((d.rendered or "").splitlines()) for d in report.diagnostics)
    assert len(text.splitlines()) < rendered_total, "must be shorter than cargo's own output"


def test_std_macro_lint_is_shown_at_the_users_call() -> None:
    text = _text(_report("gimli-0.27.0.std-macro.jsonl"))
    assert text.splitlines()[0].startswith("src/read/line.rs")
    assert "2884 │" in text and "/rustc/" not in text


def test_json_lines_have_flat_fields_and_full_spans() -> None:
    report = _report("semver-1.0.14.clippy.jsonl")
    rows = [json.loads(b) for b in json_lines(report)]
    assert len(rows) == 44
    for row in rows:
        assert {
            "code",
            "level",
            "message",
            "file",
            "line",
            "column",
            "spans",
            "tool",
            "rendered",
        } <= row.keys()
        assert row["spans"] and "byte_start" in row["spans"][0]
        assert row["toolchain"]["clippy"].startswith("clippy ")


def test_clean_report() -> None:
    report = CheckReport(crate_root="/c", tool="check", status="clean")
    assert "clean" in _text(report)
    assert list(json_lines(report)) == []


@given(st.text(max_size=2000))
def test_libtest_parser_never_raises(text: str) -> None:
    for t in parse_libtest(text):
        assert t.status in ("ok", "failed", "ignored")
