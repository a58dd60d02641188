"""Fixture crates for the test-repair tests: one-file libraries with a slip their own test catches,
written at test time and run with real cargo, so the signals and the bench table read rustc's real
failures (left/right included) rather than a stored copy."""

from __future__ import annotations

from pathlib import Path

from engine.testrepair.signals import Line, lines_with_features
from toolbelt.cargo_run import run_test
from toolbelt.types import TestResult

# a count that takes `<=` for `<`: the test's assert_eq! sees one too many
COUNT = b"""pub fn count_below(v: &[u32], limit: u32) -> usize {
    let mut n = 0;
    let spread = v.len() * 2;
    println!("{}", spread);
    for x in v {
        if *x <= limit {
            n += 1;
        }
    }
    n
}

pub struct Meter { total: u32 }

impl Meter {
    pub fn add(&mut self, x: u32) {
        let step = x + 1;
        let label = format!("{}", x);
        self.total += step;
        drop(label);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_strictly_below() {
        let v = vec![1, 2, 3, 4];
        let got = count_below(&v, 3);
        assert_eq!(got, 2);
    }
}
"""


def write_crate(root: Path, lib: bytes, name: str | None = None) -> Path:
    """A one-file library crate at `root` (its package named after the folder unless `name` says)."""
    name = name or root.name
    (root / "src").mkdir(parents=True)
    (root / "Cargo.toml").write_text(f'[package]\nname = "{name}"\nversion = "0.1.0"\nedition = "2021"\n')
    (root / "src" / "lib.rs").write_bytes(lib)
    return root


def failing_lines(root: Path, lib: bytes) -> tuple[list[TestResult], list[Line]]:
    """The crate's failing tests under real cargo, and its lines with every signal filled from them."""
    rep = run_test(root, backtrace=True)
    failing = [t for t in rep.tests if t.status == "failed"]
    return failing, lines_with_features({"src/lib.rs": lib}, failing, [], None)
