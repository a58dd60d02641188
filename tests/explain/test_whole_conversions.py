"""Fixes that must be made whole, or true, to be shown, each only after cargo accepted it: a variable
converted once for all its uses (not at the one use rustc reports); a borrow of `self` returned with
the type's lifetime, dropped from the outer reference (never `&'a self`); a full path that is rustc's
own; rustc's `/* T */` holes filled, and added fields, flagged as the user's choice; a closure's
moved capture borrowed or cloned (E0525); a `vec!` static made an array. Each shape also has a
program where the fix must not be offered. Real cargo on small library crates written here."""

from __future__ import annotations

import pytest

from tests.explain.crates import explain_lib, story
from tests.explain.test_expert_fixes import _checked, _compiling

pytestmark = pytest.mark.slow


TWICE = """pub fn blend(a: f32, b: f32, weight: u8) -> f32 {
    let left = a * weight;
    left + b * weight
}
"""


def test_a_variable_used_twice_is_converted_where_it_is_bound(tmp_path):
    e = _checked(tmp_path, "twice", TWICE, "a * weight", "E0277")
    assert _compiling(e, "let weight = weight as f32;"), [(f.name, f.validated) for f in e.fixes]
    assert e.fixes[0].validated == "compiles", e.fixes[0].name


ONCE = """pub fn scaled(a: f32, weight: u8) -> f32 {
    a * weight
}
"""


def test_a_variable_used_once_is_cast_at_its_use_only(tmp_path):
    e = _checked(tmp_path, "once", ONCE, "a * weight", "E0277")
    assert _compiling(e, "a * weight as f32"), [(f.name, f.shows) for f in e.fixes]
    assert not any("let weight" in "".join(f.shows) or "uses" in f.name for f in e.fixes)


OUTER = """pub struct Parser<'s> {
    pub tokens: Vec<&'s str>,
}

impl<'s> Parser<'s> {
    pub fn tokens(&self) -> &'s [&'s str] {
        &self.tokens
    }
}
"""


def test_a_borrow_of_self_returned_with_the_types_lifetime_drops_it_from_the_outer_reference(tmp_path):
    e = _checked(tmp_path, "outer", OUTER, "&self.tokens", None)
    assert _compiling(e, "fn tokens(&self) -> &[&'s str]"), [(f.name, f.validated) for f in e.fixes]
    assert not any(o.name == "tie the lifetimes in the signature" for o in e.options)


WRAPPED = """pub struct View<'v>(pub &'v str);

pub struct Doc<'a> {
    pub title: &'a str,
    pub body: String,
}

impl<'a> Doc<'a> {
    pub fn view(&self) -> View<'a> {
        View(&self.body)
    }
}
"""


def test_no_outer_lifetime_dropped_where_the_return_is_no_reference(tmp_path):
    e = _checked(tmp_path, "wrapped", WRAPPED, "View(&self.body)", None)
    assert not any(f.name.startswith("return `&") for f in e.fixes)
    assert any(o.name == "tie the lifetimes in the signature" for o in e.options)


UNIMPORTED = """pub struct Celsius(pub f64);

impl fmt::Display for Celsius {
    fn fmt(&self, f: &mut fmt::Formatter) -> fmt::Result {
        write!(f, "{} C", self.0)
    }
}
"""


def test_a_full_path_shown_for_an_unresolved_module_is_the_one_rustc_imports(tmp_path):
    stories = explain_lib(tmp_path, "unimported", UNIMPORTED)
    e = story(stories, UNIMPORTED, "impl fmt::Display", "E0433")
    text = " ".join(f"{o.name} {o.how}" for o in e.options)
    assert "`std::fmt`" in text, text
    assert "collections" not in text and "::new()" not in text, text


UNKNOWN_MODULE = """pub fn area(r: f64) -> f64 {
    geometry::circle(r)
}
"""


def test_no_full_path_when_rustc_suggests_no_import(tmp_path):
    stories = explain_lib(tmp_path, "unknown_module", UNKNOWN_MODULE)
    e = story(stories, UNKNOWN_MODULE, "geometry::circle", "E0433")
    assert not any(o.name in ("write the full path", "import it") for o in e.options), e.options
    assert "std::" not in " ".join(o.how for o in e.options)


MISSING_ARG = """pub fn area(width: f64, height: f64) -> f64 {
    width * height
}

pub fn unit() -> f64 {
    area(1.5)
}
"""


def test_a_typed_hole_in_rustcs_argument_suggestion_is_filled_and_flagged_as_a_choice(tmp_path):
    e = _checked(tmp_path, "missing_arg", MISSING_ARG, "area(1.5)", "E0061")
    fills = _compiling(e, "area(1.5, 0.0)")
    assert fills, [(f.name, f.validated, f.shows) for f in e.fixes]
    assert "choose" in fills[0].cost, fills[0].cost


MISSING_FILE = """use std::fs::File;

pub fn log_to(out: File, line: &str) -> usize {
    drop(out);
    line.len()
}

pub fn run() -> usize {
    log_to("started")
}
"""


def test_no_filled_hole_is_shown_when_the_types_plain_value_does_not_compile(tmp_path):
    e = _checked(tmp_path, "missing_file", MISSING_FILE, 'log_to("started")', "E0061")
    assert not any("Default::default()" in "".join(f.shows) for f in e.fixes), [
        (f.name, f.validated) for f in e.fixes
    ]


FIELDS = """pub struct Request {
    pub url: String,
    pub timeout_ms: u64,
}

pub fn get(url: &str) -> Request {
    Request { url: url.to_string() }
}
"""


def test_fields_added_with_plain_values_carry_the_flag_that_the_user_chooses_them(tmp_path):
    e = _checked(tmp_path, "fields", FIELDS, "Request { url", "E0063")
    added = _compiling(e, "timeout_ms: 0")
    assert added and "choose" in added[0].cost, [(f.name, f.cost) for f in e.fixes]


def _on_each(body: str) -> str:
    return "pub fn each<F: Fn(u32)>(f: F) {\n    f(1);\n    f(2);\n}\n\n" + body


CONSUMED = _on_each("""pub fn keep(total: &mut usize) {
    let names = vec![String::from("a")];
    let report = move |n| {
        let all = takes(names);
        println!("{n} {}", all.len());
    };
    each(report);
    *total += 1;
}

fn takes(v: Vec<String>) -> Vec<String> {
    v
}
""")


def test_a_closure_that_moves_a_capture_out_moves_a_clone_when_a_borrow_does_not_fit(tmp_path):
    e = _checked(tmp_path, "consumed", CONSUMED, "let report", "E0525")
    assert _compiling(e, "takes(names.clone())"), [(f.name, f.validated) for f in e.fixes]
    assert not _compiling(e, "takes(&names)")


UNCLONABLE = _on_each("""use std::fs::File;

fn spend(t: File) -> u32 {
    drop(t);
    1
}

pub fn run() {
    let token = File::open("log").unwrap();
    let use_it = move |n| {
        let k = spend(token);
        println!("{n} {k}");
    };
    each(use_it);
}
""")


def test_no_borrow_or_clone_shown_for_a_capture_that_must_be_moved_and_cannot_be_cloned(tmp_path):
    e = _checked(tmp_path, "unclonable", UNCLONABLE, "let use_it", "E0525")
    assert not any("&token" in "".join(f.shows) or "token.clone()" in "".join(f.shows) for f in e.fixes)


TABLE = """static PRIMES: Vec<u32> = vec![2, 3, 5, 7, 11];

pub fn total() -> u32 {
    PRIMES.iter().sum()
}
"""


def test_a_static_vec_of_constant_elements_becomes_an_array(tmp_path):
    e = _checked(tmp_path, "table", TABLE, "static PRIMES", "E0015")
    assert _compiling(e, "static PRIMES: [u32; 5] = [2, 3, 5, 7, 11];"), [
        (f.name, f.validated) for f in e.fixes
    ]


OWNED_TABLE = """static NAMES: Vec<String> = vec![String::from("ann"), String::from("bob")];

pub fn count() -> usize {
    NAMES.len()
}
"""


def test_no_array_for_a_static_vec_whose_elements_are_built_at_run_time(tmp_path):
    e = _checked(tmp_path, "owned_table", OWNED_TABLE, "static NAMES", "E0015")
    bare = ("static NAMES: [String; 2] =", "static NAMES: &[String] =")
    assert not any(b in "".join(f.shows) for f in e.fixes for b in bare), [f.shows for f in e.fixes]
