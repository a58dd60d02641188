"""A fix that relaxes a bound says callers face no new requirement (#14, review A a07).

The general mistake: "only `retry` requires it: its callers' types must meet it" said of a fix that
turns `F: Fn(..)` into `F: FnMut(..)`, which every closure that met the old bound still meets. Real
cargo on a crate written here: a closure that adds to a local, given to a fn bounded by `Fn`."""

from __future__ import annotations

import pytest

from engine.explain.bounds import _relaxes
from engine.explain.validation import validate
from tests.explain.crates import explain_lib

pytestmark = pytest.mark.slow

TOTAL = """pub fn apply_all<F: Fn(i32)>(xs: &[i32], f: F) {
    for x in xs {
        f(*x);
    }
}

pub fn total(xs: &[i32]) -> i32 {
    let mut sum = 0;
    apply_all(xs, |x| sum += x);
    sum
}

#[cfg(test)]
mod tests {
    #[test]
    fn sums() {
        assert_eq!(super::total(&[1, 2, 3]), 6);
    }
}
"""


def test_fn_to_fnmut_asks_nothing_new_of_callers(tmp_path) -> None:
    stories = validate(list(explain_lib(tmp_path, "total", TOTAL)), tmp_path / "total").explanations
    fix = next(
        f
        for e in stories
        for f in e.fixes
        if f.validated == "compiles" and any("FnMut(i32)" in ln for ln in f.shows)
    )
    assert "callers face no new requirement" in fix.cost, fix.cost
    assert "must meet it" not in fix.cost, fix.cost


def test_only_a_weaker_or_removed_bound_is_a_relaxation() -> None:
    assert _relaxes("<F: Fn(u32) -> bool>", "<F: FnOnce(u32) -> bool>")
    assert _relaxes("<T: Copy + Ord>", "<T: Ord>")
    assert not _relaxes("<F: FnOnce()>", "<F: FnMut()>")  # tighter
    assert not _relaxes("<T: Ord>", "<T: Ord + Copy>")  # a bound added
    assert not _relaxes("<T>", "<T: PartialOrd>")
