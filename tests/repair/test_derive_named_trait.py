"""An item of a derivable trait called on a crate type that lost the derive (E0599: `Opts::default()`
not found): rustc names the trait that defines it ("candidate #1: `Default`"), and the repair
derives that trait back into the type's list. Real cargo on two crates written here."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.repair.restore import assert_restored

OPTS = """#[derive(Debug, Clone, Default)]
pub struct Opts {
    pub verbose: bool,
    pub level: u8,
}

pub fn fresh() -> Opts {
    Opts::default()
}
"""

TALLY = """use std::collections::HashMap;

#[derive(Default)]
pub struct Tally {
    seen: HashMap<String, u32>,
}

impl Tally {
    pub fn count(words: &[&str]) -> usize {
        let mut t = Tally::default();
        for w in words {
            *t.seen.entry(w.to_string()).or_insert(0) += 1;
        }
        t.seen.len()
    }
}
"""


@pytest.mark.parametrize(
    ("name", "good", "bad"),
    [
        ("opts", OPTS, OPTS.replace("Debug, Clone, Default", "Debug, Clone")),
        ("tally", TALLY, TALLY.replace("#[derive(Default)]\n", "")),
    ],
)
def test_the_trait_rustc_names_is_derived_back(tmp_path: Path, name: str, good: str, bad: str) -> None:
    assert_restored(tmp_path, name, bad, good, validations=1)
