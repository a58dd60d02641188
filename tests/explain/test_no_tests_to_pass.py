"""A green `cargo test` that ran no test says nothing about behaviour (#14). The mistake: a fix whose
edit lies outside every fn (a new enum variant and an `impl From`) has no fn a test could reach, so
the tester ran the crate's suite, found zero tests, and the fix read "the crate's tests pass with
it". Real cargo on a crate written here: `?` on `parse()` into an error type with no `From`, once
without tests and once with one."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.cli_runner import rusta
from tests.explain.crates import write_lib

pytestmark = pytest.mark.slow

READER = """\
#[derive(Debug)]
pub enum LoadError {
    Empty,
}

pub fn width(text: &str) -> Result<u32, LoadError> {
    if text.is_empty() {
        return Err(LoadError::Empty);
    }
    let w = text.trim().parse()?;
    Ok(w)
}
"""

TESTED = (
    READER
    + """
#[cfg(test)]
mod tests {
    #[test]
    fn reads_a_width() {
        assert_eq!(super::width(" 12 ").ok(), Some(12));
    }
}
"""
)


def _first_fix_line(tmp_path: Path, name: str, src: str) -> str:
    root = write_lib(tmp_path, name, src)
    r = rusta(
        "explain", str(root), "--no-clippy", "--mode", "pair", env={"RUSTA_CACHE_DIR": str(tmp_path / "c")}
    )
    fixes = [ln for ln in r.stdout.splitlines() if ln.startswith("#1 Fix")]
    assert fixes, r.stdout + r.stderr
    return fixes[0]


def test_a_crate_without_tests_never_reads_tests_pass(tmp_path: Path) -> None:
    line = _first_fix_line(tmp_path, "reader", READER)
    assert "tests pass" not in line, line
    assert "the crate has no tests to run it" in line, line


def test_a_crate_with_a_test_still_reads_tests_pass(tmp_path: Path) -> None:
    line = _first_fix_line(tmp_path, "tested", TESTED)
    assert "the crate's tests pass with it" in line, line
