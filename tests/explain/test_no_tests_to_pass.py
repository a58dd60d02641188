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
    assert "compiles; the crate has no tests" in line, line


def test_a_crate_with_a_test_still_reads_tests_pass(tmp_path: Path) -> None:
    line = _first_fix_line(tmp_path, "tested", TESTED)
    assert "the crate's tests pass with it" in line, line


GREETER = """\
pub struct Greeter {
    pub name: String,
}

pub fn greet(g: Greeter) -> String {
    let owned = g.name;
    format!("hello {} ({} bytes)", owned, g.name.len())
}
"""


def test_a_tick_in_a_crate_without_tests_says_it_means_compiles(tmp_path: Path) -> None:
    """explain --help defines the ✓: the crate's tests pass with the fix, or, in a crate with no
    tests, it compiles, said as "compiles; the crate has no tests", never "tests pass" (review D:
    d09's follow-up read "the crate has no tests to run it" while the help promised tests passed)."""
    import json

    line = _first_fix_line(tmp_path, "greeter", GREETER)
    assert line.startswith("#1 Fix ✓ (compiles; the crate has no tests"), line
    assert "tests pass" not in line, line
    root = tmp_path / "greeter"
    r = rusta("explain", str(root), "--no-clippy", "--json", env={"RUSTA_CACHE_DIR": str(tmp_path / "c")})
    opts = [o for ln in r.stdout.splitlines() if ln.strip() for o in json.loads(ln)["options"]]
    coded = [o for o in opts if o["patch"]]
    assert coded and all(o["test_reach"] == "no-tests" for o in coded), coded
    helped = rusta("explain", "--help")
    assert "in a crate without tests ✓ means it compiles" in " ".join(helped.stdout.split()), helped.stdout
