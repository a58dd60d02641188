"""A local bound to `&x` and used where `&mut` is wanted: rustc reports the use (types differ in
mutability); the borrow is made mutable where the local is bound, annotation included. Real cargo
on crates written here, three programs of the one shape."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.repair.restore import assert_restored

HISTOGRAM = """fn bump(counts: &mut Vec<u32>, at: usize) {
    counts[at] += 1;
}

pub fn histogram(data: &[u8]) -> Vec<u32> {
    let mut counts = vec![0u32; 256];
    let view = &mut counts;
    for b in data {
        bump(view, *b as usize);
    }
    counts
}
"""

LEVELS = """pub struct Levels {
    pub items: Vec<u8>,
}

fn raise(levels: &mut [u8]) {
    for l in levels.iter_mut() {
        *l += 1;
    }
}

impl Levels {
    pub fn lift(&mut self) {
        let slice = &mut self.items[..];
        raise(slice);
    }
}
"""

TYPED = """use std::collections::HashMap;

fn note(seen: &mut HashMap<String, usize>, word: &str) {
    *seen.entry(word.to_string()).or_insert(0) += 1;
}

pub fn tally(text: &str) -> usize {
    let mut seen = HashMap::new();
    let book: &mut HashMap<String, usize> = &mut seen;
    for w in text.split_whitespace() {
        note(book, w);
    }
    seen.len()
}
"""

CASES = [
    ("histogram", HISTOGRAM, ["let view = &mut counts;"], ["let view = &counts;"]),
    ("levels", LEVELS, ["&mut self.items[..]"], ["&self.items[..]"]),
    (
        "tally",
        TYPED,
        ["let book: &mut HashMap<String, usize> = &mut seen;"],
        ["let book: &HashMap<String, usize> = &seen;"],
    ),
]


@pytest.mark.parametrize(("name", "good", "was", "now"), CASES)
def test_the_borrow_becomes_mut_where_the_local_is_bound(
    tmp_path: Path, name: str, good: str, was: list[str], now: list[str]
) -> None:
    bad = good
    for a, b in zip(was, now, strict=True):
        bad = bad.replace(a, b)
    assert_restored(tmp_path, name, bad, good, validations=1)
