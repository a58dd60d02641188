"""A ✓ does not hide a change of meaning: real cargo on crates written here, two per shape.

A cast that can lose value ranks after one that widens and says what it loses; a lazily initialised
static around a clock or the environment says when the value is taken; a derived order names the
fields (or variants) that decide it.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from engine.explain.options import cast_cost
from engine.explain.validation import validate
from tests.explain.crates import explain_lib

pytestmark = [pytest.mark.slow]

SHADE = """pub fn shade(levels: &mut Vec<u8>, step: i32) {
    for i in 0..levels.len() {
        let v = levels[i] + step;
        levels[i] = if v > 255 { 255 } else { v as u8 };
    }
}
"""
VOLUME = """pub fn louder(samples: &mut [u16], gain: i64) -> i64 {
    let mut peak = 0;
    for s in samples.iter() {
        let v = *s + gain;
        if v > peak {
            peak = v;
        }
    }
    peak
}
"""
CLOCK = """use std::time::SystemTime;

static BOOTED: SystemTime = SystemTime::now();

pub fn age() -> u64 {
    BOOTED.elapsed().map(|d| d.as_secs()).unwrap_or(0)
}
"""
ENV = """static HOME: String = std::env::var("HOME").unwrap_or_default();

pub fn home_len() -> usize {
    HOME.len()
}
"""
HEAP = """use std::collections::BinaryHeap;

#[derive(Debug, PartialEq, Eq)]
pub struct Job {
    pub urgency: u32,
    pub label: String,
}

pub fn next(jobs: Vec<Job>) -> Option<Job> {
    let mut heap = BinaryHeap::new();
    for j in jobs {
        heap.push(j);
    }
    heap.pop()
}
"""
SET = """use std::collections::BTreeSet;

#[derive(Debug, PartialEq, Eq)]
pub enum Level {
    Low,
    Mid,
    High,
}

pub fn distinct(levels: Vec<Level>) -> usize {
    let set: BTreeSet<Level> = levels.into_iter().collect();
    set.len()
}
"""


@pytest.fixture(autouse=True)
def _own_cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("RUSTA_CACHE_DIR", str(tmp_path / "cache"))


def _fixes(tmp_path: Path, name: str, src: str):  # noqa: ANN202 - the checked fixes of the crate's first story
    stories = explain_lib(tmp_path, name, src)
    return validate(stories, tmp_path / name).explanations[0].fixes


def test_a_narrowing_cast_names_both_ways_it_loses_value() -> None:
    assert (
        cast_cost("i32", "u8")
        == "keeps the low 8 bits: a negative `i32`, or one above `u8::MAX`, changes, and may turn zero"
    )
    assert cast_cost("i32", "u64") == "a negative `i32` wraps to a huge `u64`"  # wider: only the sign


@pytest.mark.parametrize(
    ("name", "src", "wide", "narrow"),
    [
        ("shade", SHADE, "levels[i] as i32 + step", "step as u8"),
        ("volume", VOLUME, "(*s) as i64 + gain", "gain as u16"),
    ],
)
def test_a_widening_cast_leads_the_narrowing_one(
    tmp_path: Path, name: str, src: str, wide: str, narrow: str
) -> None:
    fixes = _fixes(tmp_path, name, src)
    shows = [" ".join(f.shows) for f in fixes]
    assert any(wide in s for s in shows) and any(narrow in s for s in shows), shows
    i_wide = next(i for i, s in enumerate(shows) if wide in s)
    i_narrow = next(i for i, s in enumerate(shows) if narrow in s)
    assert i_wide < i_narrow and fixes[i_wide].validated == fixes[i_narrow].validated == "compiles"
    assert fixes[i_wide].cost == "" and "keeps the low" in fixes[i_narrow].cost


@pytest.mark.parametrize(
    ("name", "src", "source"), [("clock", CLOCK, "SystemTime::now"), ("env", ENV, "env::var")]
)
def test_a_lazy_static_around_a_run_time_value_says_when_it_is_taken(
    tmp_path: Path, name: str, src: str, source: str
) -> None:
    lazy = next(f for f in _fixes(tmp_path, name, src) if "LazyLock" in " ".join(f.shows))
    assert lazy.validated == "compiles"
    assert source in lazy.cost and "first use, not at start-up" in lazy.cost, lazy.cost


@pytest.mark.parametrize(
    ("name", "src", "order"),
    [
        (
            "heap",
            HEAP,
            "fields in declaration order: `urgency`, then `label`; a `BinaryHeap<Job>` pops the greatest",
        ),
        ("set", SET, "variants in declaration order: `Low`, then `Mid`, then `High`"),
    ],
)
def test_a_derived_order_names_what_decides_it(tmp_path: Path, name: str, src: str, order: str) -> None:
    derive = next(f for f in _fixes(tmp_path, name, src) if "Ord" in " ".join(f.shows))
    assert derive.validated == "compiles" and order in derive.cost, derive.cost
    assert ("BinaryHeap" in derive.cost) == (name == "heap")  # a set's order has no max-heap surprise


# `*r` for an owning type moves out of the borrow (E0507); for a `Copy` type it is the fix
FIRST_NAME = """pub fn title(names: &Vec<String>) -> String {
    let first: String = names.first().unwrap();
    first
}
"""
OWNER_BYTES = """use std::collections::HashMap;

pub fn owner(m: &HashMap<u32, Vec<u8>>, k: u32) -> usize {
    let bytes: Vec<u8> = m.get(&k).unwrap();
    bytes.len()
}
"""
FIRST_SCORE = """pub fn best(scores: &Vec<u32>) -> u32 {
    let top: u32 = scores.first().unwrap();
    top
}
"""


@pytest.mark.parametrize(
    ("name", "src", "deref_shown"),
    [("names", FIRST_NAME, False), ("bytes", OWNER_BYTES, False), ("scores", FIRST_SCORE, True)],
)
def test_no_option_moves_an_owning_value_out_of_a_borrow(
    tmp_path: Path, name: str, src: str, deref_shown: bool
) -> None:
    e = explain_lib(tmp_path, name, src)[0]
    assert e.fixes  # the conversions and clones are offered, unchecked
    derefs = [f for f in e.fixes if any(" = *" in s for s in f.shows)]
    assert bool(derefs) == deref_shown, [f.shows for f in e.fixes]


# `-1` for an unsigned "not found": rustc offers `usize::MAX`/`u32::MAX`, a sentinel
FIND = """pub fn find(v: &[i32], x: i32) -> usize {
    let mut found: usize = -1;
    for (i, y) in v.iter().enumerate() {
        if *y == x {
            found = i;
        }
    }
    found
}
"""
SLOT = """pub fn slot(ids: &[u32], want: u32) -> u32 {
    let mut at = 0;
    for id in ids {
        if *id == want {
            return at;
        }
        at += 1;
    }
    return -1;
}
"""
# an `Option` compared with `None` (rustc offers a `PartialEq` derive) and read through (`.unwrap()`)
ITEM = """pub struct Item {
    pub name: String,
}

pub fn label(found: Option<&Item>) -> String {
    if found == None {
        return String::new();
    }
    found.name.clone()
}
"""
POINT = """pub struct Point {
    pub x: i64,
}

pub fn first_x(p: Option<Point>) -> i64 {
    if p != None {
        return p.x;
    }
    0
}
"""


@pytest.mark.parametrize(("name", "src", "ty"), [("find", FIND, "usize"), ("slot", SLOT, "u32")])
def test_a_sentinel_for_no_value_is_flagged(tmp_path: Path, name: str, src: str, ty: str) -> None:
    fix = next(f for f in _fixes(tmp_path, name, src) if f"{ty}::MAX" in " ".join(f.shows))
    assert f"`Option<{ty}>` says it in the type" in fix.cost, fix.cost


@pytest.mark.parametrize(("name", "src"), [("item", ITEM), ("point", POINT)])
def test_a_derive_only_to_compare_with_none_and_an_added_unwrap_are_flagged(
    tmp_path: Path, name: str, src: str
) -> None:
    stories = explain_lib(tmp_path, name, src)
    fixes = [f for e in validate(stories, tmp_path / name).explanations for f in e.fixes]
    derive = next(f for f in fixes if "PartialEq" in " ".join(f.shows))
    assert "only to compare with `None`; `.is_none()` needs no derive" in derive.cost, derive.cost
    unwrap = next(f for f in fixes if ".unwrap()" in " ".join(f.shows))
    assert "panics where the value is `None`" in unwrap.cost, unwrap.cost


SPLIT = """pub enum Payment {
    Split(u32, u32),
}

pub fn owed(p: &Payment) -> u32 {
    match p {
        Payment::Split(first) => first * 2,
    }
}
"""


def test_a_wildcard_added_to_a_short_tuple_pattern_says_the_arm_never_reads_that_field(
    tmp_path: Path,
) -> None:
    fix = next(f for f in _fixes(tmp_path, "split", SPLIT) if "Payment::Split(first, _)" in " ".join(f.shows))
    assert fix.validated == "compiles"
    assert "ignores a field the arm then never reads" in fix.cost, fix.cost
