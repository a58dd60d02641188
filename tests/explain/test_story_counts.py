"""A story's heading and its fix count the same places, and list them in reading order.

Real cargo on crates written here, through the CLI (review F: f12's heading "(×8 at lines 26,
32:39, 30, 32:54, ...)" beside "this fix clears all 6 places"; f15's "+5 more from the same cause"
beside "one edit clears all 3 places").
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from tests.cli_runner import rusta

pytestmark = [pytest.mark.slow]

_CELLS = """use std::collections::HashSet;

#[derive(Debug, Clone, Copy)]
pub struct Cell {
    pub row: u8,
    pub col: u8,
}

pub fn fresh(path: &[Cell], start: Cell) -> usize {
    let mut seen: HashSet<Cell> = HashSet::new();
    seen.insert(start);
    for c in path {
        if !seen.contains(c) { seen.insert(*c); }
    }
    seen.len()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_each_cell_once() {
        let a = Cell { row: 0, col: 0 };
        let b = Cell { row: 0, col: 1 };
        assert_eq!(fresh(&[a, b, a], a), 2);
    }
}
"""

_SINKS = """use std::fmt::Display;

pub trait Sink {
    fn put<T: Display>(&self, value: T) -> String;
}

pub struct Upper;

impl Sink for Upper {
    fn put<T: Display>(&self, value: T) -> String {
        value.to_string().to_uppercase()
    }
}

pub fn all(sinks: &[Box<dyn Sink>], word: &str) -> Vec<String> {
    let mut out = Vec::new();
    for s in sinks { out.push(s.put(word)); }
    out
}

pub fn one() -> Box<dyn Sink> {
    Box::new(Upper)
}

pub fn loud(s: &dyn Sink) -> String {
    s.put(1)
}

pub fn both(a: &dyn Sink, b: &dyn Sink) -> usize {
    a.put(2).len() + b.put(3).len()
}

pub fn count(v: Vec<Box<dyn Sink>>) -> usize {
    v.len()
}
"""

_HEAD = re.compile(
    r"\((?:×(?P<n>\d+)|(?P<errs>\d+) errors) at (?:(?P<k>\d+) places: )?lines? (?P<at>[\d:, and]+)\)$"
)


def _pair(root: Path, name: str, lib: str) -> list[str]:
    (root / "src").mkdir(parents=True)
    (root / "Cargo.toml").write_text(f'[package]\nname = "{name}"\nversion = "0.1.0"\nedition = "2021"\n')
    (root / "src" / "lib.rs").write_text(lib)
    out = rusta("explain", str(root), "--mode", "pair", "--no-clippy", columns=300, timeout=300)
    assert out.returncode == 1 or out.returncode == 0, out.stderr
    return out.stdout.splitlines()


def _heading(lines: list[str]) -> tuple[int, list[tuple[int, int]]]:
    head = next(ln for ln in lines if ln.startswith("#1 error"))
    m = _HEAD.search(head)
    assert m is not None, head
    places = [tuple(int(x) for x in (p.split(":") + ["0"])[:2]) for p in re.split(r", | and ", m["at"])]
    k = int(m["k"] or m["n"] or m["errs"])
    assert len(places) == k, head
    return k, [(a, b) for a, b in places]


def test_the_fix_clears_as_many_places_as_the_heading_lists(tmp_path: Path) -> None:
    lines = _pair(tmp_path / "cells", "cells", _CELLS)
    k, places = _heading(lines)
    assert places == sorted(places) and k == 3, lines[0]
    fix = next(ln for ln in lines if "Fix ✓" in ln)
    assert f"clears all {k} places" in fix, fix


def test_the_heading_lists_places_in_reading_order(tmp_path: Path) -> None:
    lines = _pair(tmp_path / "sinks", "sinks", _SINKS)
    k, places = _heading(lines)
    # rustc reports line 21 before line 17; 7 places are all listed, none hidden as "and 1 more"
    assert k == 7 and places == sorted(places), lines[0]
