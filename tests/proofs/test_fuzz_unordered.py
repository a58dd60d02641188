"""Fuzzing fns whose results hold a HashMap or HashSet, with real cargo: equal maps are equal whatever
order their Debug prints, a real change is still caught, and an outcome that varies from call to call
is never quoted as a behaviour change."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from engine.patching.types import Patch
from engine.proofs.fuzz import fuzz_patch
from tests.proofs.crates import diff_of, make_crate

pytestmark = pytest.mark.slow

LIB = """\
use std::collections::{HashMap, HashSet};

#[derive(Debug)]
pub struct Tally {
    pub by_len: HashMap<usize, Vec<String>>,
    pub total: usize,
}

/// The distinct vowels of a word.
pub fn vowels(word: &str) -> HashSet<char> {
    let mut out = HashSet::new();
    for c in word.chars() {
        if "aeiou".contains(c) {
            out.insert(c);
        }
    }
    out
}

/// Words grouped by their length.
pub fn tally(words: Vec<u8>) -> Tally {
    let mut by_len: HashMap<usize, Vec<String>> = HashMap::new();
    for w in &words {
        let s = format!("w{}", w);
        if by_len.get(&s.len()).is_none() {
            by_len.insert(s.len(), Vec::new());
        }
        by_len.get_mut(&s.len()).unwrap().push(s);
    }
    Tally { by_len, total: words.len() }
}

/// The keys of a fresh map, in its iteration order: nothing in the type says the order is random.
pub fn keys(n: u8) -> Vec<u8> {
    let m: HashMap<u8, ()> = (0..n % 8).map(|k| (k, ())).collect();
    m.keys().copied().collect()
}
"""

KEEPS = LIB.replace(
    """        if "aeiou".contains(c) {
            out.insert(c);
        }""",
    """        if matches!(c, 'a' | 'e' | 'i' | 'o' | 'u') {
            out.insert(c);
        }""",
).replace(
    """        if by_len.get(&s.len()).is_none() {
            by_len.insert(s.len(), Vec::new());
        }
        by_len.get_mut(&s.len()).unwrap().push(s);""",
    """        by_len.entry(s.len()).or_default().push(s);""",
)
CHANGES = LIB.replace('"aeiou".contains(c)', '"aeiouy".contains(c)')
SHUFFLES = LIB.replace("(0..n % 8).map(|k| (k, ())).collect()", "(0..n % 8).rev().map(|k| (k, ())).collect()")


@pytest.fixture(scope="module")
def crate(tmp_path_factory: pytest.TempPathFactory) -> Path:
    os.environ.setdefault("RUSTA_CACHE_DIR", str(tmp_path_factory.mktemp("cache")))
    return make_crate(tmp_path_factory.mktemp("unordered") / "crate", LIB)


def by_name(proofs) -> dict:  # noqa: ANN001
    return {p.detail.split(":")[0]: p for p in proofs}


def test_equal_sets_and_maps_agree_whatever_their_debug_order(crate: Path) -> None:
    # a HashSet returned, and a struct holding a HashMap: each map's RandomState orders it
    proofs = by_name(
        fuzz_patch(crate, Patch.new(diff_of(crate, KEEPS), "refactor: entry API"), max_inputs=3000)
    )
    assert set(proofs) == {"fuzz vowels", "fuzz tally"}
    for p in proofs.values():
        assert p.status == "passed", p.detail
        assert p.passed == 3000


def test_a_real_change_in_a_set_is_still_found_and_its_pair_differs(crate: Path) -> None:
    p = by_name(fuzz_patch(crate, Patch.new(diff_of(crate, CHANGES), "refactor: vowels"), max_inputs=3000))[
        "fuzz vowels"
    ]
    assert p.status == "failed", p.detail
    assert p.cases
    for c in p.cases:
        assert c.before != c.after and "'y'" in c.after and "'y'" not in c.before, c


def test_an_outcome_that_varies_between_calls_is_not_called_a_behaviour_change(crate: Path) -> None:
    # a Vec in a HashMap's order: old and new differ on the same input only as much as old does from itself
    p = by_name(fuzz_patch(crate, Patch.new(diff_of(crate, SHUFFLES), "refactor: keys"), max_inputs=3000))[
        "fuzz keys"
    ]
    assert p.status != "failed", p.detail
    assert "different outcome" in p.detail or "varies" in p.detail, p.detail
    for c in p.cases:
        assert c.before != c.after
