"""Doctests in `rusta test` on stable: each failing doctest with the file and line of its code block
and the item whose docs hold it, its panic and assertion values, a re-run of one doctest by its
name (rustdoc splits test arguments on spaces, so a name cannot be handed over whole), `--failed`
over doctests, `--explain` guessing the crate fn a doctest calls, and nothing said for a crate with
no lib target. Real cargo on crates written here; the pure parts (names, plans) without cargo."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from engine.testexplain.rerun import Rerun, narrowed, plan
from engine.testexplain.types import FailedTest
from tests import cli_runner as cli
from toolbelt import types as tt
from toolbelt.testparse import doc_filter, doc_site, parse_run

LIB = """//! Tiny parsing helpers.
//!
//! ```
//! assert_eq!(docs::double(1), 2);
//! ```

/// Doubles a number.
///
/// ```
/// assert_eq!(docs::double(2), 4);
/// ```
pub fn double(x: i32) -> i32 {
    x * 2
}

/// Parses a number written in digits.
///
/// ```
/// let n = docs::parse_num("42");
/// assert_eq!(n, 42);
/// ```
#[inline]
pub fn parse_num(s: &str) -> i32 {
    s.parse::<i32>().unwrap() + 1
}

#[cfg(test)]
mod tests {
    #[test]
    fn doubles() {
        assert_eq!(super::double(3), 7);
    }
}
"""
PARSE_DOC = "src/lib.rs - parse_num (line 18)"


def write_crate(root: Path, lib: str | None = LIB, main: str | None = None) -> Path:
    (root / "src").mkdir(parents=True)
    (root / "Cargo.toml").write_text('[package]\nname = "docs"\nversion = "0.1.0"\nedition = "2021"\n')
    if lib is not None:
        (root / "src" / "lib.rs").write_text(lib)
    if main is not None:
        (root / "src" / "main.rs").write_text(main)
    return root


def rusta(*args: str, cwd: Path | None = None) -> cli.subprocess.CompletedProcess[str]:
    return cli.rusta("test", *args, cwd=cwd, columns=200, timeout=300)


def test_doctest_names_give_site_and_one_filter_word() -> None:
    assert doc_site(PARSE_DOC) == tt.DocSite(file="src/lib.rs", line=18, item="parse_num")
    assert doc_site("src/date.rs - date::Date::parse (line 33)") == tt.DocSite(
        file="src/date.rs", line=33, item="date::Date::parse"
    )
    assert doc_site("src/lib.rs - (line 3)") == tt.DocSite(file="src/lib.rs", line=3)
    assert doc_site("tests::doubles") is None
    # no word with a space, none that names every doctest of the file
    assert doc_filter(PARSE_DOC) == "parse_num"
    assert doc_filter("src/lib.rs - (line 3)") == "3)"
    assert doc_filter("parse_num (line 18)") == "parse_num"


def test_plan_puts_doctests_in_a_doc_run_and_narrows_to_them() -> None:
    failed = [
        FailedTest(name="tests::doubles", suite="src/lib.rs"),
        FailedTest(name=PARSE_DOC, suite="doctests docs"),
    ]
    units, docs = plan(failed=failed)
    assert units == Rerun(filters=("tests::doubles",), exact=True)
    assert docs == Rerun(filters=("parse_num",), doc=True, keep=(PARSE_DOC,))
    assert plan("doubles") == [Rerun(filters=("doubles",))]
    assert plan(failed=[]) == []
    text = (
        "   Doc-tests docs\n\nrunning 2 tests\n"
        f"test src/lib.rs - parse_num (line 190) ... ok\ntest {PARSE_DOC} ... FAILED\n\n"
        f"failures:\n\n---- {PARSE_DOC} stdout ----\nTest executable failed (exit status: 101).\n\n"
        "test result: FAILED. 1 passed; 1 failed; 0 ignored; 0 measured; 0 filtered out; finished in 0.1s\n"
    )
    tests, suites, _ = parse_run(text)
    report = narrowed(tt.TestReport(crate_root=".", status="failed", tests=tests, suites=suites), docs)
    assert [t.name for t in report.tests] == [PARSE_DOC]
    (suite,) = report.suites
    assert (suite.planned, suite.failed, suite.passed, suite.filtered_out) == (1, 1, 0, 1)


@pytest.mark.slow
def test_failing_doctest_shown_rerun_by_name_and_explained(tmp_path: Path) -> None:
    root = write_crate(tmp_path / "docs")
    r = rusta(str(root))
    assert r.returncode == 1, r.stderr
    out = r.stdout
    assert "doctests docs (doctest, 3 tests)" in out
    assert "  ok     src/lib.rs - double (line 9)" in out and "  ok     src/lib.rs - (line 3)" in out
    assert f"FAILED {PARSE_DOC}  src/lib.rs:18  (doctest on `parse_num`)  (doctests docs)" in out
    assert "  left:  43\n  right: 42" in out
    assert "FAILED tests::doubles  src/lib.rs:" in out
    assert "2 passed, 2 failed" in out

    one = rusta(str(root), PARSE_DOC, "--json")
    assert one.returncode == 1, one.stderr
    d = json.loads(one.stdout)
    assert [t["name"] for t in d["tests"]] == [PARSE_DOC]
    (t,) = d["tests"]
    assert t["doc"] == {"file": "src/lib.rs", "line": 18, "item": "parse_num"}
    assert (t["failure"]["left"], t["failure"]["right"]) == ("43", "42")
    assert t["failure"]["message"] == "assertion `left == right` failed"
    assert [(s["name"], s["planned"], s["failed"]) for s in d["suites"]] == [("doctests docs", 1, 1)]

    passing = rusta(str(root), "src/lib.rs - double (line 9)")
    assert passing.returncode == 0, passing.stdout + passing.stderr
    assert "1 passed, 0 failed" in passing.stdout and "parse_num" not in passing.stdout

    explained = rusta(str(root), "--explain")
    assert "Where:   My guess is `parse_num` (src/lib.rs:23): the doctest's code calls it" in explained.stdout
    assert "The doctest sits in the docs of `parse_num` (src/lib.rs:23)." in explained.stdout
    assert "Look at: src/lib.rs:24  `s.parse::<i32>().unwrap() + 1`  (in parse_num)" in explained.stdout

    # fix the fn: --failed re-runs the unit test by name and the doctest in its own --doc run
    lib = root / "src" / "lib.rs"
    lib.write_text(lib.read_text().replace("unwrap() + 1", "unwrap()"))
    again = rusta("--failed", cwd=root)
    assert again.returncode == 1, again.stdout + again.stderr
    assert "Re-running 2 failed tests." in again.stdout
    assert f"  ok     {PARSE_DOC}" in again.stdout
    assert "src/lib.rs - double (line 9)" not in again.stdout
    assert "1 passed, 1 failed" in again.stdout


@pytest.mark.slow
def test_crate_without_lib_target_says_nothing_of_doctests(tmp_path: Path) -> None:
    main = "/// ```\n/// assert!(false);\n/// ```\nfn main() {}\n\n#[test]\nfn fails() {\n    assert_eq!(1 + 1, 3);\n}\n"
    root = write_crate(tmp_path / "app", lib=None, main=main)
    r = rusta(str(root))
    assert r.returncode == 1, r.stderr
    assert "FAILED fails" in r.stdout and "1 failed" in r.stdout
    assert "doctest" not in (r.stdout + r.stderr).lower()
