"""Ways out that fit the shape rustc's notes name, not the code's template. Real cargo on small crates
(borrow-check errors in one, type errors in the other, since borrowck skips bodies with type errors).

- a borrow handed to `thread::spawn` must be `'static`: no scope is long enough, so ownership goes
  over (a move, a clone, `Arc`) or the threads become scoped;
- a field moved out from behind `&mut` is taken with `Option::take` / `std::mem::replace`;
- two `get_mut` on one map: `get_disjoint_mut` (when the installed std has it);
- an operator on a type parameter needs the complete bound, never "adjust the operands";
- `f64: Ord`: NaN, and `total_cmp`;
- the type an unsatisfied bound names is the failing type, not a method-chain note's;
- indexing a struct is a field access; `sum()` whose only use is formatting is no "operator or cast";
- "lifetime may not live long enough" and a format string's argument count get a rule of their own.
"""

from __future__ import annotations

import pytest

from tests.explain.crates import explain_lib, line_of
from tests.explain.crates import option_names as _names
from tests.explain.crates import story as _story
from tests.explain.crates import story_text as _text

pytestmark = pytest.mark.slow

BORROWS = """use std::collections::HashMap;
use std::thread;

pub fn totals(rows: Vec<Vec<u32>>) -> u32 {
    let mut hs = Vec::new();
    for row in rows.iter() {
        hs.push(thread::spawn(move || row.iter().sum::<u32>()));
    }
    hs.into_iter().map(|h| h.join().unwrap()).sum()
}

pub fn longest_upper(lines: &[String]) -> usize {
    let mut best: &str = "";
    for l in lines {
        let up = l.to_uppercase();
        if up.len() > best.len() {
            best = &up;
        }
    }
    best.len()
}

pub struct Link {
    pub val: u32,
    pub rest: Option<Box<Link>>,
}

pub struct Chain {
    pub first: Option<Box<Link>>,
}

impl Chain {
    pub fn push_front(&mut self, val: u32) {
        self.first = Some(Box::new(Link { val, rest: self.first }));
    }
}

pub fn swap_scores(m: &mut HashMap<String, u32>, a: &str, b: &str) {
    let x = m.get_mut(a).unwrap();
    let y = m.get_mut(b).unwrap();
    std::mem::swap(x, y);
}

pub struct Doc {
    pub text: String,
}

impl Doc {
    pub fn word_or<'a>(&self, d: &'a str) -> &'a str {
        match self.text.split(' ').next() {
            Some(w) => w,
            None => d,
        }
    }
}
"""

TYPES = """use std::ops::Add;

pub fn dot<T: Copy + Default + Add<Output = T>>(a: &[T], b: &[T]) -> T {
    let mut acc = T::default();
    for i in 0..a.len() {
        acc = acc + a[i] * b[i];
    }
    acc
}

pub fn largest<T: Copy>(xs: &[T]) -> T {
    let mut m = xs[0];
    for &x in xs {
        if x > m {
            m = x;
        }
    }
    m
}

pub fn top(xs: &[f64]) -> Option<f64> {
    xs.iter().copied().max()
}

pub struct Reading {
    pub v: f64,
}

fn avg(xs: &[f64]) -> f64 {
    xs.iter().sum::<f64>() / xs.len() as f64
}

pub fn avg_of(rs: Vec<Reading>) -> f64 {
    let vals = rs.iter().map(|r| r.v).collect();
    avg(&vals)
}

pub struct Pair {
    pub left: i32,
    pub right: i32,
}

pub fn first(p: &Pair) -> i32 {
    p[0]
}

pub fn show(ws: &[String]) {
    let n = ws.iter().map(|w| w.len()).sum();
    println!("{}", n);
}
"""

FORMAT = """pub fn greet(name: &str) -> String {
    format!("{} meets {}", name)
}
"""


@pytest.fixture(scope="module")
def crates(tmp_path_factory: pytest.TempPathFactory) -> dict[str, tuple]:
    tmp = tmp_path_factory.mktemp("r8")
    return {
        name: explain_lib(tmp, f"r8_{name}", src) for name, src in (("borrows", BORROWS), ("types", TYPES))
    }


def test_a_borrow_handed_to_thread_spawn_is_static_not_a_scope_question(crates) -> None:
    e = _story(crates["borrows"], BORROWS, "for row in rows.iter()", "E0597")
    assert "'static" in e.summary and e.root_cause.line == line_of(BORROWS, "thread::spawn(")
    assert "outer scope" not in _text(e) and "Finish every use" not in _text(e)
    assert "outer variable, a collection" not in e.why and "join" in e.why
    # one thread per element of `rows.iter()`: iterating by value moves each element in
    assert _names(e) == ["iterate by value", "hand ownership over", "share with Arc", "scoped threads"]
    assert "into_iter" in e.options[0].how and "std::thread::scope" in e.options[3].how


def test_a_value_made_in_a_loop_pass_is_not_moved_to_the_outer_scope(crates) -> None:
    e = _story(crates["borrows"], BORROWS, "best = &up;", "E0597")
    assert "move the value to the outer scope" not in _names(e) and "'static" not in e.summary
    assert _names(e) == ["keep an owned value", "make the values before the loop"]


def test_a_field_behind_mut_is_taken_or_replaced_not_borrowed(crates) -> None:
    e = _story(crates["borrows"], BORROWS, "rest: self.first", "E0507")
    assert "often a reference is all" not in e.why and "borrow it" not in _names(e)
    assert "std::option::Option::take" in e.options[0].how and "std::mem::replace" in e.options[1].how


def test_two_get_mut_on_one_map_is_one_disjoint_call(crates) -> None:
    e = _story(crates["borrows"], BORROWS, "let y = m.get_mut(b)", "E0499")
    # nothing in swap_scores rules a == b out, so the way that handles equal keys leads (review S,
    # s01): the one-call way is next, and says it panics on equal keys; rustc 1.95 has it
    assert "get_mut" in e.summary and _names(e)[:2] == ["one at a time", "one call for both"], _names(e)
    assert "get_disjoint_mut" in e.options[1].how and "split the slice" not in _names(e)
    assert "panics when two keys are equal" in e.options[1].tradeoff
    assert "split the value" not in _names(e)


def test_lifetime_may_not_live_long_enough_has_a_rule_a_why_and_ways_out(crates) -> None:
    e = next(e for e in crates["borrows"] if e.code is None and e.title.startswith("a borrow outlives"))
    assert e.invariant.startswith("Lifetimes:") and "signature" in e.why
    assert {"tie the lifetimes in the signature", "return owned data"} <= set(_names(e))


def test_an_operator_on_a_type_parameter_needs_the_complete_bound(crates) -> None:
    e = _story(crates["types"], TYPES, "acc = acc + a[i] * b[i]", "E0369")
    # rustc's help writes `Mul<Output = T>` here, so the option adds its bound as written
    assert "adjust the operands" not in _names(e) and _names(e) == ["add the bound rustc writes"]
    assert "Output" in e.options[0].how and "bound" in e.why and "operands differ" not in e.why
    cmp = _story(
        crates["types"], TYPES, "if x > m", "E0369"
    )  # a comparison: the same bound, no Output to fix
    assert _names(cmp) == ["add the complete bound"] and "For an arithmetic operator" in cmp.options[0].how
    how = cmp.options[0].how  # the bound goes on the parameter rustc's help names, never on `&T`
    assert "type parameter" in how and "`&T`" not in how and "`>`" not in how


def test_floats_are_not_ord_because_of_nan(crates) -> None:
    e = _story(crates["types"], TYPES, "xs.iter().copied().max()", "E0277")
    assert e.summary.startswith("`f64`") and "NaN" in e.why
    assert "total_cmp" in e.options[0].how


def test_the_failing_type_comes_from_the_bound_not_from_a_method_chain_note(crates) -> None:
    built = [
        e for e in crates["types"] if e.code == "E0277" and e.primary.line == line_of(TYPES, ".collect();")
    ]
    assert built and all("Reading" not in e.summary for e in built)
    slice_story = next(e for e in built if "collect into an owned collection" in _names(e))
    assert "`[f64]`" in slice_story.summary and "slice" in slice_story.why


def test_indexing_a_struct_is_a_field_access_and_formatting_is_no_operator(crates) -> None:
    e = _story(crates["types"], TYPES, "p[0]", "E0608")
    assert _names(e)[0] == "access a field" and "fix the value" not in _names(e)
    assert "Bind the collection" not in _text(e)
    s = _story(crates["types"], TYPES, "let n = ws.iter()", "E0283")
    assert "arithmetic operator or a cast" not in s.why


def test_a_format_string_with_more_placeholders_than_arguments_has_a_rule(tmp_path) -> None:
    (e,) = [e for e in explain_lib(tmp_path, "r8_format", FORMAT) if e.code is None]
    assert e.invariant.startswith("Formatting:") and "compiler's rule" not in e.invariant
    assert "add the missing argument" in _names(e)
