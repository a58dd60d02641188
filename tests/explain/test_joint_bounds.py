"""Several unmet bounds on one type parameter in one story: one fix writes them all (real cargo).

A free fn whose `T` needs `Ord` (`.max()`) and `Display` (`format!`), and an impl block whose `T`
needs `Ord` in one method and `Debug` in another: rustc suggests each bound alone at the same
insertion point, and neither clears the story. The union at that point (`T: Ord + Display`) and,
for the impl, each method's own bound made together are fixes that compile and pass the tests;
each single bound leaves its sibling's error.
"""

from __future__ import annotations

import pytest

from engine.explain.validation import validate
from modes.rendering import render_text
from tests.explain import honesty
from tests.explain.crates import apply_fixes, cargo_test, errors_of, explain_lib

pytestmark = pytest.mark.slow

REPORT = """/// The largest item, written out for a report.
pub fn report<T>(items: &[T]) -> String {
    match items.iter().max() {
        Some(top) => format!("top: {}", top),
        None => String::new(),
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn top_of_three() {
        assert_eq!(super::report(&[3, 9, 4]), "top: 9");
    }
}
"""

BOARD = """pub struct Board<T> {
    cells: Vec<T>,
}

impl<T> Board<T> {
    pub fn new(cells: Vec<T>) -> Self {
        Board { cells }
    }

    pub fn tidy(&mut self) {
        self.cells.sort();
    }

    pub fn dump(&self) -> String {
        format!("{:?}", self.cells)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tidies() {
        let mut b = Board::new(vec![2u8, 1]);
        b.tidy();
        assert_eq!(b.dump(), "[1, 2]");
    }
}
"""


def _story(tmp_path, name: str, src: str):  # noqa: ANN202
    stories = explain_lib(tmp_path, name, src)
    run = validate(list(stories), tmp_path / name)
    e = next(e for e in run.explanations if e.code == "E0277")
    assert len(e.diagnostics) == 2, e.diagnostics  # both unmet bounds are this one story
    program, quotes = honesty.program_tokens(tmp_path / name), honesty.rustc_quotes(e.diagnostics)
    lies = [s.code for s in honesty.shown(e, render_text) if not honesty.judge(e, s, program, quotes)]
    assert not lies, lies  # every snippet shown, the joint bounds' words included, is true
    return e


def test_two_bounds_a_free_fn_lacks_are_one_fix_where_t_is_declared(tmp_path, monkeypatch):
    monkeypatch.setenv("RUSTA_CACHE_DIR", str(tmp_path / "cache"))
    e = _story(tmp_path, "report", REPORT)
    lead = e.fixes[0]
    assert lead.shows == ("pub fn report<T: std::cmp::Ord + std::fmt::Display>(items: &[T]) -> String {",), (
        lead
    )
    assert lead.validated == "compiles" and lead.errors_left == 0 and lead.tests_run == "passed", lead
    singles = [f for f in e.fixes if f.source == "rustc"]
    assert singles and all(f.validated != "compiles" for f in singles), singles  # each leaves the other
    root = tmp_path / "report"
    apply_fixes(root, lead)
    assert not errors_of(root, tmp_path)
    assert cargo_test(root).returncode == 0


def test_two_methods_bounds_are_made_together_before_the_joint_impl_bound(tmp_path, monkeypatch):
    monkeypatch.setenv("RUSTA_CACHE_DIR", str(tmp_path / "cache"))
    e = _story(tmp_path, "board", BOARD)
    lead = e.fixes[0]
    assert lead.validated == "compiles" and lead.tests_run == "passed", lead
    assert lead.shows == (
        "    pub fn tidy(&mut self) where T: std::cmp::Ord {",
        "    pub fn dump(&self) -> String where T: std::fmt::Debug {",
    ), lead.shows
    assert "the bounds go on `tidy` and `dump` only" in lead.cost, lead.cost
    wide = next(f for f in e.fixes if f.shows == ("impl<T: std::cmp::Ord + std::fmt::Debug> Board<T> {",))
    assert wide.validated == "compiles" and e.fixes.index(wide) > 0, wide
    assert "every method of the impl of `Board`" in wide.cost, wide.cost
    root = tmp_path / "board"
    apply_fixes(root, lead)
    assert not errors_of(root, tmp_path)
    assert cargo_test(root).returncode == 0
