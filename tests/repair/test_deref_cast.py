"""A cast of a reference to a reference (`b as char`, `b: &&u8`, E0606): rustc suggests no `*` for
two levels; the grammar dereferences once per level. Real cargo on two crates written here."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.repair.restore import assert_restored

LETTERS = """pub fn letters(xs: &[&u8]) -> String {
    xs.iter().map(|b| **b as char).collect()
}
"""

WIDE = """pub fn widths(rows: &[&u16]) -> u64 {
    let mut total = 0;
    for w in rows.iter().filter(|w| ***w > 2) {
        total += **w as u64;
    }
    total
}
"""


@pytest.mark.parametrize(
    ("name", "good", "cast"), [("letters", LETTERS, "**b as char"), ("wide", WIDE, "**w as u64")]
)
def test_a_double_reference_is_dereferenced_to_the_number(
    tmp_path: Path, name: str, good: str, cast: str
) -> None:
    assert_restored(tmp_path, name, good.replace(cast, cast.lstrip("*")), good)


MODE = """#[derive(Clone, Copy)]
pub enum Mode {
    Fast = 1,
    Best = 9,
}

impl Mode {
    pub fn level(&self) -> u8 {
        *self as u8
    }
}
"""

PRIORITY = """#[derive(Clone, Copy, PartialEq)]
pub enum Priority {
    Low,
    High,
}

pub fn weights(ps: &[Priority]) -> i32 {
    ps.iter().map(|p| *p as i32).sum()
}
"""


@pytest.mark.parametrize(
    ("name", "good", "cast"), [("mode", MODE, "*self as u8"), ("priority", PRIORITY, "*p as i32")]
)
def test_a_reference_to_a_fieldless_enum_is_dereferenced_before_its_cast(
    tmp_path: Path, name: str, good: str, cast: str
) -> None:
    """rustc offers only 'cast through a raw pointer first' for `&Enum as u8`; `*` reads the copy."""
    assert_restored(tmp_path, name, good.replace(cast, cast.lstrip("*")), good)
