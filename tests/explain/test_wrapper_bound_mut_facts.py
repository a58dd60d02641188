"""Statements a fact decides, never the error code's template (real cargo on one small crate):

- a method rustc says exists on the type inside an `Option`/`Result` is reached by handling the
  wrapper (`map`, `if let`/`?`, `expect`), never by "fix the name";
- an operator on `&T` inside a generic is fixed by the bound rustc's help puts on `T`, never by
  "bound `&T`";
- a binding declared without `mut` is made `mut` first; interior mutability comes second, with its
  run-time cost.
"""

from __future__ import annotations

import pytest

from tests.explain.crates import explain_lib
from tests.explain.crates import option_names as _names
from tests.explain.crates import story as _story
from tests.explain.crates import story_text as _text

pytestmark = pytest.mark.slow

SRC = """pub fn tag_len(tags: &[String]) -> usize {
    tags.first().trim().len()
}

pub struct Ring<T> {
    pub slots: Vec<T>,
}

impl<T> Ring<T> {
    pub fn before(&self, a: &T, b: &T) -> bool {
        a < b
    }
}

pub fn squares(n: u64) -> Vec<u64> {
    let out = Vec::new();
    for i in 0..n {
        out.push(i * i);
    }
    out
}
"""


@pytest.fixture(scope="module")
def stories(tmp_path_factory: pytest.TempPathFactory) -> tuple:
    return explain_lib(tmp_path_factory.mktemp("wbm"), "wbm", SRC)


def test_a_method_of_the_inner_value_is_reached_by_handling_the_option(stories) -> None:
    e = _story(stories, SRC, "tags.first().trim()", "E0599")
    assert "fix the name" not in _names(e) and "not on the wrapper" in e.summary
    assert _names(e) == ["map over it", "match the value out", "unwrap with a reason"]
    assert "?" in e.options[1].how


def test_an_operator_on_a_reference_to_a_parameter_bounds_the_parameter(stories) -> None:
    e = _story(stories, SRC, "a < b", "E0369")
    assert "`&T`" not in _text(e)
    assert "the bound still goes on the parameter" in e.options[0].how


def test_a_binding_without_mut_is_made_mut_before_any_refcell(stories) -> None:
    e = _story(stories, SRC, "out.push(i * i)", "E0596")
    assert _names(e)[0] == "make the binding mut" and "`out`" in e.options[0].how
    cell = next(o for o in e.options if o.name == "interior mutability")
    assert "panics" in cell.tradeoff
