"""Repeated lints are one story each: one undeclared cfg in three places, `dead_code` for three
functions, `needless_return` three times. Real clippy on tests/fixtures/explain_lints, checked once."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from engine.explain.api import explain_diagnostics, explain_report
from engine.explain.grouping import lint_key
from engine.explain.jsonview import to_dict
from engine.explain.types import Explanation
from modes import render_text
from toolbelt.cargo_run import run_check
from toolbelt.types import CheckReport, Diagnostic, DiagnosticCode, Span

REPO = Path(__file__).resolve().parents[2]
FIXTURE = REPO / "tests" / "fixtures" / "explain_lints"

pytestmark = [pytest.mark.slow, pytest.mark.xdist_group("explain-lints")]


@pytest.fixture(scope="module")
def crate(tmp_path_factory: pytest.TempPathFactory) -> Path:
    dest = tmp_path_factory.mktemp("lints") / "explain_lints"
    shutil.copytree(FIXTURE, dest, ignore=shutil.ignore_patterns("target", ".rusta"))
    return dest


@pytest.fixture(scope="module")
def report(crate: Path, tmp_path_factory: pytest.TempPathFactory) -> CheckReport:
    return run_check(crate, tool="clippy", target_dir=tmp_path_factory.mktemp("lints-target"))


@pytest.fixture(scope="module")
def stories(report: CheckReport) -> tuple[Explanation, ...]:
    return explain_report(report)


def _by(stories: tuple[Explanation, ...], code: str, needle: str = "") -> Explanation:
    (e,) = [s for s in stories if s.code == code and needle in s.message]
    return e


def _lines(d: Diagnostic) -> list[int]:
    return [d.primary.line_start] if d.primary else []


def test_each_repeated_lint_is_one_story(report: CheckReport, stories: tuple[Explanation, ...]) -> None:
    warnings = [d for d in report.diagnostics if d.level == "warning"]
    assert len(warnings) == 10  # 3 + 1 cfg uses, 3 dead functions, 3 needless returns
    assert [(s.code, len(s.diagnostics)) for s in stories] == [
        ("unexpected_cfgs", 3),
        ("unexpected_cfgs", 1),
        ("dead_code", 3),
        ("clippy::needless_return", 3),
    ]
    assert sum(len(s.diagnostics) for s in stories) == len(warnings)  # nothing dropped


def test_undeclared_cfg_story_says_the_one_edit(stories: tuple[Explanation, ...]) -> None:
    e = _by(stories, "unexpected_cfgs", "fast_path")
    assert [ln for d in e.diagnostics for ln in _lines(d)] == [3, 8, 19]
    assert (e.root_cause.file, e.root_cause.line) == ("src/lib.rs", 3)  # the first place
    assert "3 places" in e.summary and "src/lib.rs:19" in e.summary
    first = e.options[0]
    assert first.name == "declare it in Cargo.toml"
    assert "[lints.rust]" in first.how and "check-cfg = ['cfg(fast_path)']" in first.how
    assert "all 3 places" in first.how
    assert "a new build.rs (the crate has none)" in e.options[1].how
    combined = [f for f in e.facts if "declares them all" in f]
    assert combined and "'cfg(fast_path)', 'cfg(legacy_api)'" in combined[0]
    assert "never declares" in e.root_cause_reason


def test_cfg_that_build_rs_sets_is_declared_there(report: CheckReport, crate: Path, tmp_path: Path) -> None:
    copy = tmp_path / "with_build_rs"
    shutil.copytree(crate, copy, ignore=shutil.ignore_patterns("target", ".rusta"))
    (copy / "build.rs").write_text('fn main() {\n    println!("cargo:rustc-cfg=fast_path");\n}\n')
    out = explain_diagnostics(report.diagnostics, copy)
    fast = _by(out, "unexpected_cfgs", "fast_path")
    legacy = _by(out, "unexpected_cfgs", "legacy_api")
    assert fast.options[0].name == "declare it in build.rs"
    assert 'println!("cargo::rustc-check-cfg=cfg(fast_path)");' in fast.options[0].how
    assert "the crate's build.rs" in fast.options[0].how
    assert legacy.options[0].name == "declare it in Cargo.toml"  # build.rs does not set this one


def test_repeated_lints_list_every_place(stories: tuple[Explanation, ...]) -> None:
    dead = _by(stories, "dead_code")
    assert dead.summary.startswith(
        "3 places report `dead_code`: src/lib.rs:26, src/lib.rs:30, src/lib.rs:34."
    )
    assert (dead.root_cause.file, dead.root_cause.line) == ("src/lib.rs", 26)
    assert {d.message for d in dead.diagnostics} == {
        f"function `unused_{n}` is never used" for n in ("one", "two", "three")
    }
    ret = _by(stories, "clippy::needless_return")
    assert ret.summary.startswith("3 places: src/lib.rs:39, src/lib.rs:43, src/lib.rs:47.")
    assert ret.root_cause.line == 39
    assert ret.patch is not None and ret.patch.diff.count("-    return x") == 3  # one patch, every place
    assert any("3 places report this lint" in f for f in ret.facts)


def test_pair_render_stays_short_and_json_is_one_object_per_story(stories: tuple[Explanation, ...]) -> None:
    for e in stories:
        text = render_text(e, "pair")
        assert 2 <= len(text.splitlines()) <= 4, text
        if len(e.diagnostics) > 1:
            assert f"{len(e.diagnostics)} places" in text
            # A repeated lint is "N more places", not a root cause that produced several errors.
            more = len(e.diagnostics) - 1
            assert f"(+{more} more {'place' if more == 1 else 'places'})" in text.splitlines()[0]
    e = _by(stories, "unexpected_cfgs", "fast_path")
    pair = render_text(e, "pair")
    assert "src/lib.rs:3, src/lib.rs:8, src/lib.rs:19" in pair and "Cargo.toml" in pair
    obj = to_dict(e)
    assert obj["primary"]["line"] == 3 and obj["root_cause"]["line"] == 3
    assert [d["line"] for d in obj["diagnostics"]] == [3, 8, 19]


def test_cli_json_has_one_line_per_story(crate: Path, tmp_path: Path) -> None:
    copy = tmp_path / "cli"
    shutil.copytree(crate, copy, ignore=shutil.ignore_patterns("target", ".rusta"))
    env = dict(os.environ, PYTHONPATH=str(REPO))
    proc = subprocess.run(
        [
            sys.executable,
            "-m",
            "rusta_tui.cli.main",
            "explain",
            str(copy),
            "--json",
            "--no-log",
            "--no-validate",
        ],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    objs = [json.loads(ln) for ln in proc.stdout.splitlines() if ln.strip()]
    assert [(o["code"], len(o["diagnostics"])) for o in objs] == [
        ("unexpected_cfgs", 3),
        ("unexpected_cfgs", 1),
        ("dead_code", 3),
        ("clippy::needless_return", 3),
    ], proc.stderr


def _warn(code: str, message: str, line: int, level: str = "warning") -> Diagnostic:
    span = Span(
        file_name="src/lib.rs",
        byte_start=line * 10,
        byte_end=line * 10 + 3,
        line_start=line,
        line_end=line,
        column_start=1,
        column_end=4,
        is_primary=True,
    )
    return Diagnostic(message=message, level=level, code=DiagnosticCode(code=code), spans=(span,))


def test_lint_key_blanks_names_but_keeps_the_cfg() -> None:
    a = _warn("dead_code", "function `a` is never used", 1)
    b = _warn("dead_code", "function `b` is never used", 2)
    s = _warn("dead_code", "struct `S` is never constructed", 3)
    assert lint_key(a) == lint_key(b) != lint_key(s)
    x = _warn("unexpected_cfgs", "unexpected `cfg` condition name: `x`", 4)
    y = _warn("unexpected_cfgs", "unexpected `cfg` condition name: `y`", 5)
    assert lint_key(x) != lint_key(y)
    assert lint_key(_warn("E0308", "mismatched types", 6, level="error")) is None
    assert lint_key(_warn("clippy::needless_return", "unneeded `return` statement", 7, level="error")) is None


def test_errors_and_different_lints_are_not_merged(tmp_path: Path) -> None:
    (tmp_path / "src").mkdir()
    (tmp_path / "src" / "lib.rs").write_text("\n" * 40)
    diags = [
        _warn("E0599", "no method named `foo` found", 2, level="error"),
        _warn("E0599", "no method named `bar` found", 4, level="error"),
        _warn("dead_code", "function `a` is never used", 6),
        _warn("unused_variables", "unused variable: `a`", 8),
        _warn("dead_code", "function `b` is never used", 10),
    ]
    out = explain_diagnostics(diags, tmp_path)
    assert [(e.code, len(e.diagnostics)) for e in out] == [
        ("E0599", 1),
        ("E0599", 1),
        ("dead_code", 2),
        ("unused_variables", 1),
    ]
