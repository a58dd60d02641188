"""What rustc said stays true in Rusta's words. Real cargo on small library crates written here.

- a diagnostic whose primary span lies inside a std macro (`vec![...]`) is listed at the user's
  macro call, never at `/rustc/.../macros.rs`, and the same line and message are listed once;
- rustc's alternatives for a trait that is not dyn compatible (its enum of the implementing types)
  stay among the options, with `where Self: Sized` and a trait-object argument for a generic method;
- the headline of a method that exists but whose trait bounds fail says so, as rustc does.
"""

from __future__ import annotations

import pytest

from engine.explain.jsonview import to_dict
from modes.study import story_list
from tests.explain.crates import explain_lib, line_of, story, story_text
from tests.explain.crates import option_names as names

pytestmark = pytest.mark.slow

DYN_SINKS = """use std::fmt::Debug;

pub trait Sink {
    fn name(&self) -> &str;
    fn emit<T: Debug>(&self, item: T) {
        println!("{} {:?}", self.name(), item);
    }
}

pub struct Console;
pub struct Silent;

impl Sink for Console {
    fn name(&self) -> &str {
        "console"
    }
}

impl Sink for Silent {
    fn name(&self) -> &str {
        "silent"
    }
}

pub fn sinks() -> Vec<Box<dyn Sink>> {
    vec![
        Box::new(Console),
        Box::new(Silent),
    ]
}
"""


def test_a_span_inside_a_std_macro_is_listed_at_the_users_call(tmp_path):
    stories = explain_lib(tmp_path, "dyn_sinks", DYN_SINKS)
    e = next(s for s in stories if s.code == "E0038")
    listed = story_list(e)
    assert listed and not any("/rustc/" in item or "macros.rs" in item for item in listed)
    assert any(item.startswith(f"src/lib.rs:{line_of(DYN_SINKS, 'vec![')}:") for item in listed)
    assert len(listed) == len(set(listed))
    assert all(g["file"] == "src/lib.rs" for g in to_dict(e)["diagnostics"] if g["file"])


def test_rustcs_alternatives_for_a_generic_method_stay_among_the_options(tmp_path):
    e = next(s for s in explain_lib(tmp_path, "dyn_sinks", DYN_SINKS) if s.code == "E0038")
    assert names(e)[:3] == [
        "exclude the method from dyn",
        "take a trait object argument",
        "use an enum instead of dyn",
    ]
    text = story_text(e)
    assert "`where Self: Sized`" in text and "`&dyn`" in text and "`dyn Sink`" in text


SELF_RETURN = """pub trait Shape {
    fn area(&self) -> f64;
    fn grown(&self) -> Self;
}

pub fn total(shapes: &[Box<dyn Shape>]) -> f64 {
    shapes.iter().map(|s| s.area()).sum()
}
"""


def test_no_trait_object_argument_where_the_method_is_not_generic(tmp_path):
    e = next(s for s in explain_lib(tmp_path, "self_return", SELF_RETURN) if s.code == "E0038")
    assert names(e)[0] == "exclude the method from dyn"
    assert "take a trait object argument" not in names(e)


SEEN = """use std::collections::HashSet;

pub struct Cell {
    pub x: i32,
}

pub struct Seen {
    pub cells: HashSet<Cell>,
}

impl Seen {
    pub fn mark(&mut self, x: i32) -> bool {
        self.cells.insert(Cell { x })
    }
}
"""


def test_the_headline_of_an_unmet_method_bound_says_the_method_exists(tmp_path):
    e = story(explain_lib(tmp_path, "seen_cells", SEEN), SEEN, "self.cells.insert", "E0599")
    assert "trait bounds" in e.title and "no method" not in e.title
