"""Statements review 23 found false, each now decided by a fact. Real cargo on small crates.

- a method of the crate that rustc says takes `self` by value cannot be called through a reference,
  so "borrow instead of moving" is not offered at that move;
- a statement `b.m(..);` that throws away what a by-value method returns keeps no change when the
  receiver is cloned first: no "clone at the move" and no `b.clone().m(..)` fix there, and the way
  out is to keep the result (`b = b.m(..)`); where the result is used, the clone stays an option.
"""

from __future__ import annotations

import pytest

from engine.explain.validation import validate
from tests.explain.crates import explain_lib, line_of, story
from tests.explain.crates import option_names as _names

pytestmark = pytest.mark.slow

BUILDERS = """pub struct Req {
    pub headers: Vec<String>,
}

impl Req {
    pub fn header(mut self, h: &str) -> Self {
        self.headers.push(h.to_string());
        self
    }
    pub fn size(self) -> usize {
        self.headers.len()
    }
}

pub fn authed(on: bool) -> usize {
    let req = Req { headers: Vec::new() };
    if on {
        req.header("auth");
    }
    req.headers.len()
}

#[derive(Clone)]
pub struct Query {
    pub terms: Vec<String>,
}

impl Query {
    pub fn and(mut self, t: &str) -> Query {
        self.terms.push(t.to_string());
        self
    }
}

pub fn both(q: Query) -> usize {
    q.and("x");
    q.terms.len()
}

pub fn measured() -> usize {
    let r = Req { headers: Vec::new() };
    let n = r.size();
    n + r.headers.len()
}
"""


@pytest.fixture(scope="module")
def builders(tmp_path_factory: pytest.TempPathFactory):
    tmp = tmp_path_factory.mktemp("r23b")
    stories = explain_lib(tmp, "r23_builders", BUILDERS)
    return stories, validate(list(stories), tmp / "r23_builders").explanations


@pytest.mark.parametrize("use", ["req.headers.len()", "q.terms.len()"])
def test_a_discarded_by_value_call_offers_keeping_the_result_not_a_borrow_or_a_clone(builders, use) -> None:
    stories, checked = builders
    e = story(stories, BUILDERS, use, "E0382")
    names = _names(e)
    assert "borrow instead of moving" not in names and "clone at the move" not in names, names
    assert "keep what the method returns" in names, names
    c = next(c for c in checked if c.primary == e.primary and c.code == "E0382")
    shown = ["".join(f.shows) for f in c.fixes]
    assert not any(".clone().header(" in s or ".clone().and(" in s for s in shown), shown
    assert any(
        f.validated == "compiles" and " = req.header(" in "".join(f.shows) or " = q.and(" in "".join(f.shows)
        for f in c.fixes
    )


def test_a_by_value_call_whose_result_is_used_keeps_the_clone(builders) -> None:
    stories, checked = builders
    e = story(stories, BUILDERS, "n + r.headers.len()", "E0382")
    names = _names(e)
    assert "borrow instead of moving" not in names and "keep what the method returns" not in names, names


GENERICS = """pub struct Stack<T> {
    items: Vec<T>,
}

impl Stack {
    pub fn len(&self) -> usize {
        self.items.len()
    }
}

pub struct Pair<A, B> {
    pub a: A,
    pub b: B,
}

impl Default for Pair {
    fn default() -> Self {
        todo!()
    }
}

pub fn depth(s: &Stack) -> usize {
    s.items.len()
}
"""


@pytest.fixture(scope="module")
def generics(tmp_path_factory: pytest.TempPathFactory):
    return explain_lib(tmp_path_factory.mktemp("r23g"), "r23_generics", GENERICS)


@pytest.mark.parametrize("text", ["impl Stack {", "impl Default for Pair {"])
def test_missing_generics_in_an_impl_header_declare_the_parameter_on_the_impl(generics, text) -> None:
    e = story(generics, GENERICS, text, "E0107")
    assert "declare the parameter on the impl" in _names(e), _names(e)
    assert "stores or returns" not in " ".join(o.how for o in e.options)


def test_missing_generics_in_a_signature_keep_fixing_the_use(generics) -> None:
    e = story(generics, GENERICS, "pub fn depth(s: &Stack)", "E0107")
    assert "fix the use" in _names(e) and "declare the parameter on the impl" not in _names(e)


METHODS = """pub struct Cart {
    pub cents: Vec<u64>,
}

impl Cart {
    pub fn total_value(&self) -> u64 {
        self.cents.iter().sum()
    }
    pub fn report(&self) -> String {
        format!("{}", total_val(self))
    }
}

pub struct Meter(pub u32);

impl Meter {
    pub fn reading(&self) -> u32 {
        self.0
    }
}

pub fn show(m: &Meter) -> u32 {
    reading(m) + missing_fn(3)
}
"""


@pytest.fixture(scope="module")
def methods(tmp_path_factory: pytest.TempPathFactory):
    return explain_lib(tmp_path_factory.mktemp("r23m"), "r23_methods", METHODS)


@pytest.mark.parametrize("text", ["total_val(self)", "reading(m)"])
def test_rustc_saying_call_it_as_a_method_is_carried_into_the_options(methods, text) -> None:
    prim = [e for e in methods if e.code == "E0425" and e.primary.line == line_of(METHODS, text)]
    col = METHODS.splitlines()[line_of(METHODS, text) - 1].index(text.split("(")[0]) + 1
    e = next(e for e in prim if e.primary.column == col)
    assert _names(e)[0] == "call it as a method", _names(e)


def test_a_free_function_rustc_has_no_method_for_is_declared(methods) -> None:
    line = line_of(METHODS, "missing_fn(3)")
    col = METHODS.splitlines()[line - 1].index("missing_fn") + 1
    e = next(e for e in methods if e.code == "E0425" and e.primary.line == line and e.primary.column == col)
    assert "call it as a method" not in _names(e), _names(e)


ELEMENTS = """pub fn swap_pair(ps: &mut Vec<u32>, i: usize) {
    let a = &mut ps[i];
    let b = &mut ps[i + 1];
    std::mem::swap(a, b);
}

pub fn add_into(xs: &mut [i64], from: usize, to: usize) {
    let src = &mut xs[from];
    let dst = &mut xs[to];
    *dst += *src;
}
"""


@pytest.fixture(scope="module")
def elements(tmp_path_factory: pytest.TempPathFactory):
    return explain_lib(tmp_path_factory.mktemp("r23e"), "r23_elements", ELEMENTS)


@pytest.mark.parametrize("text", ["let b = &mut ps[i + 1];", "let dst = &mut xs[to];"])
def test_two_mut_elements_are_different_elements_split_not_reordered(elements, text) -> None:
    e = story(elements, ELEMENTS, text, "E0499")
    assert "split the slice" in _names(e), _names(e)
    words = " ".join([e.summary, e.why, *(o.how for o in e.options)])
    assert "same value" not in words and "cannot prove the two indexes differ" in words
    # split_at_mut's halves follow the indexes' order, not the borrows' (`add_into(xs, 2, 1)`, review B b15)
    assert "larger of the two indexes" in words and "first element from the left half" not in words, words


INDEXES = """pub fn middle(s: &[u32]) -> u32 {
    let mid = (s.len() / 2) as u32;
    s[mid]
}

pub fn at(v: &Vec<String>, k: u16) -> &String {
    &v[k]
}

pub fn back(v: &[u8], off: i32) -> u8 {
    v[off]
}
"""


@pytest.fixture(scope="module")
def indexes(tmp_path_factory: pytest.TempPathFactory):
    return explain_lib(tmp_path_factory.mktemp("r23i"), "r23_indexes", INDEXES)


def _words(e) -> str:
    return " ".join([e.summary, e.why, *(f"{o.how} {o.tradeoff}" for o in e.options)])


@pytest.mark.parametrize("text", ["s[mid]", "&v[k]"])
def test_an_unsigned_index_is_not_refused_for_being_negative(indexes, text) -> None:
    e = story(indexes, INDEXES, text, "E0277")
    assert "negative" not in _words(e) and "pointer-sized" in _words(e), _words(e)


def test_a_signed_index_keeps_the_negative_value_reason(indexes) -> None:
    e = story(indexes, INDEXES, "v[off]", "E0277")
    assert "negative" in _words(e)


BOUNDS = """use std::ops::Add;

pub fn scale<T: Copy + Add<Output = T>>(v: &[T], k: T) -> Vec<T> {
    v.iter().map(|&x| x * k).collect()
}

pub fn same<T>(a: T, b: T) -> bool {
    a == b
}

pub fn times<T: Copy>(a: T, b: T) -> T {
    a * b
}
"""


@pytest.fixture(scope="module")
def bounds(tmp_path_factory: pytest.TempPathFactory):
    return explain_lib(tmp_path_factory.mktemp("r23o"), "r23_bounds", BOUNDS)


def test_a_bound_rustc_writes_with_its_output_is_not_called_bare(bounds) -> None:
    e = story(bounds, BOUNDS, "a * b", "E0369")
    assert "bare" not in _words(e) and "add the bound rustc writes" in _names(e), _names(e)


@pytest.mark.parametrize("text", ["x * k", "a == b"])
def test_a_bare_bound_rustc_writes_is_completed(bounds, text) -> None:
    e = story(bounds, BOUNDS, text, "E0369")
    assert "add the complete bound" in _names(e), _names(e)
