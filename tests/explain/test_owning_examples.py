"""A `Copy` or `Clone` bound's cost names the owning callers it turns away (or keeps) only where
those types met every bound `T` already had (`move_bounds.owning_examples`), and the bound goes
into a `where` clause that already bounds `T` (real cargo on crates written here)."""

from __future__ import annotations

from pathlib import Path

import pytest

from engine.explain.validation import validate
from engine.repair.move_bounds import owning_examples
from tests.explain.crates import explain_lib

# operators in the where clause: no `String` or `Vec` ever met `Add<Output = T>`
TOTAL = """use std::ops::Add;

pub fn total<T>(xs: &[T]) -> T
where
    T: Add<Output = T> + Default,
{
    let mut acc = T::default();
    for x in xs {
        acc = acc + *x;
    }
    acc
}
"""

# an order and a default in the generic list: `String` and `Vec` meet both
TOP = """pub fn top<T: Ord + Default>(xs: &[T]) -> T {
    let mut best = T::default();
    for x in xs {
        if *x > best {
            best = *x;
        }
    }
    best
}
"""


def test_examples_are_the_owning_types_that_met_every_bound() -> None:
    assert owning_examples(["Ord", "Default"]) == ["String", "Vec"]
    assert owning_examples(["std::fmt::Display"]) == ["String"]
    assert owning_examples(["Add<Output = T>", "Default"]) == []
    assert owning_examples(["std::ops::Mul<Output = T>"]) == []
    assert owning_examples(["Summary"]) == []  # a trait of the crate's own: not known to hold
    assert owning_examples(["?Sized", "Clone"]) == ["String", "Vec"]


@pytest.mark.slow
@pytest.mark.parametrize(
    ("name", "src", "copy_words", "where_line"),
    [
        (
            "total",
            TOTAL,
            "no copy cost, but every caller's `T` must be `Copy`",
            "T: Add<Output = T> + Default + Copy,",
        ),
        ("top", TOP, "callers with an owning type (`String`, `Vec`) no longer compile", ""),
    ],
)
def test_a_copy_bound_names_only_callers_it_turns_away(
    tmp_path: Path, monkeypatch, name: str, src: str, copy_words: str, where_line: str
) -> None:
    monkeypatch.setenv("RUSTA_CACHE_DIR", str(tmp_path / "cache"))
    stories = explain_lib(tmp_path, name, src)
    run = validate(list(stories), tmp_path / name)
    fixes = [f for e in run.explanations if e.code in ("E0507", "E0508") for f in e.fixes]
    copy = [f for f in fixes if f.name.startswith("bound `T: Copy`")]
    assert copy, [f.name for f in fixes]
    assert all(copy_words in f.name for f in copy), [f.name for f in copy]
    assert copy[0].validated == "compiles", (copy[0].validated, copy[0].fails_because)
    if where_line:  # beside the where clause's bounds, not split into the generic list
        assert [s.strip() for s in copy[0].shows] == [where_line], copy[0].shows
    clones = [f.name for f in fixes if f.name.startswith("bound `T: Clone`")]
    for n in clones:
        assert ("(`String` and `Vec` do)" in n) == (not where_line), n
