"""Every way out, root cause and cost claim fits the code in front of it: facts from the syntax tree
and rustc's own words decide which options a story offers. Real cargo on two small crates (borrow-check
errors in one, type and const errors in the other, since borrowck skips bodies with type errors).

- a second borrow inside a loop over the first is not "reorder": borrow the other field, or collect
  and act after the loop;
- a borrow returned on one path: check then borrow, and the entry API's real costs;
- a reference to a local built in the function is returned owned; "borrow from an input" only when
  the data is a parameter taken by value;
- a closure made in a loop: `move` alone is not the fix; a `Copy` capture stays usable;
- a static converted from a string literal can stay a `&'static str`; a static is never "a function";
- `write!` without its trait in scope is an import, never a misspelled name; a method on a future is
  a missing `.await`; `?` in a function returning neither `Result` nor `Option` is no `From` story;
- a `match` whose value is used cannot become an `if let`; two structs behind `impl Trait` are no chain;
- no option is a bare cost line.
"""

from __future__ import annotations

import pytest

from tests.explain.crates import explain_lib, line_of

pytestmark = pytest.mark.slow

BORROWS = """use std::collections::HashMap;
use std::thread;

pub struct Shelf {
    pub books: Vec<u32>,
    pub log: Vec<String>,
}

impl Shelf {
    fn note(&mut self, m: String) {
        self.log.push(m);
    }

    pub fn reprice(&mut self) {
        for b in self.books.iter_mut() {
            *b += 1;
            self.note(format!("now {}", b));
        }
    }
}

pub fn double_up(v: &mut Vec<u32>) {
    for x in v.iter() {
        v.push(*x);
    }
}

pub struct Counts {
    per: HashMap<String, Vec<u32>>,
}

impl Counts {
    pub fn slot(&mut self, k: &str) -> &mut Vec<u32> {
        if let Some(v) = self.per.get_mut(k) {
            return v;
        }
        self.per.insert(k.to_string(), Vec::new());
        self.per.get_mut(k).unwrap()
    }

    fn bump(&mut self, k: &str) {
        self.per.remove(k);
    }

    pub fn peek(&mut self, k: &str) -> Option<&Vec<u32>> {
        let v = self.per.get(k);
        if v.is_some() {
            self.bump(k);
        }
        v
    }
}

pub struct Person {
    pub title: String,
}

impl Person {
    pub fn shout(&self) -> &String {
        let loud = self.title.to_uppercase();
        &loud
    }
}

pub fn head<'a>(words: Vec<String>, _k: &'a str) -> &'a str {
    &words[0]
}

pub fn spawn_all(tag: String, n: u32) {
    let mut hs = Vec::new();
    for i in 0..n {
        hs.push(thread::spawn(|| println!("{} {}", tag, i)));
    }
    for h in hs {
        h.join().unwrap();
    }
}

pub fn later(n: usize) -> impl Fn() -> usize {
    || n + 1
}
"""

TYPES = """use std::time::Instant;

pub enum Phase {
    Idle,
    Busy,
    Done,
}

pub fn label(p: &Phase) -> &'static str {
    match p {
        Phase::Idle => "idle",
        Phase::Busy => "busy",
    }
}

pub fn report(p: &Phase) {
    match p {
        Phase::Idle => println!("idle"),
        Phase::Busy => {}
    }
}

pub static GREETING: String = String::from("hello");
pub static BOOT: Instant = Instant::now();
pub const LANG: String = "en".to_string();

pub fn csv(xs: &[u32]) -> String {
    let mut s = String::new();
    for x in xs {
        write!(s, "{},", x).unwrap();
    }
    s
}

async fn load() -> Vec<u8> {
    vec![1]
}

pub async fn size() -> usize {
    load().len()
}

pub fn parse_port(s: &str) -> u16 {
    let n: u16 = s.parse()?;
    n
}

pub trait Shape {
    fn area(&self) -> f64;
}
pub struct Square(pub f64);
pub struct Circle(pub f64);
impl Shape for Square {
    fn area(&self) -> f64 {
        self.0 * self.0
    }
}
impl Shape for Circle {
    fn area(&self) -> f64 {
        3.14 * self.0 * self.0
    }
}

pub fn pick(round: bool) -> impl Shape {
    if round {
        Circle(1.0)
    } else {
        Square(1.0)
    }
}
"""


@pytest.fixture(scope="module")
def borrows(tmp_path_factory: pytest.TempPathFactory):
    return explain_lib(tmp_path_factory.mktemp("wayout"), "wayout_borrows", BORROWS)


@pytest.fixture(scope="module")
def types(tmp_path_factory: pytest.TempPathFactory):
    return explain_lib(tmp_path_factory.mktemp("wayout"), "wayout_types", TYPES)


def _story(stories, src: str, text: str):
    line = line_of(src, text)
    return next(e for e in stories if e.primary.line == line)


def _names(e) -> list[str]:
    return [o.name for o in e.options]


def test_a_second_borrow_inside_a_loop_over_the_first_is_not_a_reorder(borrows) -> None:
    method = _story(borrows, BORROWS, "self.note(format!")
    assert method.code == "E0499" and "inside the loop" in method.summary
    assert _names(method)[0] == "borrow the other field directly"
    same = _story(borrows, BORROWS, "v.push(*x);")
    assert same.code == "E0502" and "inside the loop" in same.summary
    assert _names(same)[0] == "collect, then act after the loop"
    for e in (method, same):
        assert not {"reorder", "finish with the first borrow", "reuse one borrow"} & set(_names(e))
        assert "almost never" not in e.why
    assert "borrow the other field directly" not in _names(same)  # one field: nothing disjoint


def test_a_borrow_returned_on_one_path_is_checked_first_and_the_entry_api_is_not_free(borrows) -> None:
    e = _story(borrows, BORROWS, "self.per.insert(")
    assert e.code == "E0499" and "returned from the function on one path" in e.summary
    assert _names(e)[0] == "check, then borrow"
    entry = next(o for o in e.options if o.name == "one call that does both")
    assert "No runtime cost" not in entry.tradeoff and "every call" in entry.tradeoff
    assert "later used here" not in e.why


def test_a_borrow_returned_after_the_mutation_is_a_real_conflict_not_the_known_limitation(borrows) -> None:
    e = _story(borrows, BORROWS, "self.bump(k);")
    assert e.code == "E0502", e.code
    assert "Polonius" not in e.why and "returned from the function on one path" not in e.summary
    assert "no reordering helps" not in e.why


def test_a_local_built_in_the_function_is_returned_owned_not_borrowed_from_an_input(borrows) -> None:
    local = _story(borrows, BORROWS, "&loud")
    assert local.code == "E0515" and _names(local)[0] == "return the owned value"
    assert "borrow from an input" not in _names(local)
    assert "nothing borrowed" not in local.why
    param = _story(borrows, BORROWS, "&words[0]")
    assert "parameter" in param.summary and _names(param)[0] == "borrow from an input"


def test_a_closure_made_in_a_loop_is_not_fixed_by_move_alone_and_copy_stays_usable(borrows) -> None:
    looped = _story(borrows, BORROWS, "thread::spawn(||")
    assert looped.code == "E0373" and "in a loop" in looped.summary
    assert "move the captures" not in _names(looped)
    assert "clone per iteration, then move" in _names(looped)
    assert any("std::thread::scope" in o.how for o in looped.options)
    copy = _story(borrows, BORROWS, "|| n + 1")
    moved = next(o for o in copy.options if o.name == "move the captures")
    assert "No copy" not in moved.tradeoff and "`Copy` value" in moved.tradeoff


def test_a_static_never_becomes_a_function_and_a_literal_stays_a_str(types) -> None:
    text = _story(types, TYPES, "pub static GREETING")
    assert _names(text)[:2] == ["keep the literal", "compute lazily"]
    clock = _story(types, TYPES, "pub static BOOT")
    assert _names(clock) == ["compute lazily"]  # a clock reading is no literal
    const = _story(types, TYPES, "pub const LANG")
    assert "keep the literal" in _names(const) and "use a function" in _names(const)
    for e in (text, clock):
        assert "use a function" not in _names(e)


def test_a_trait_out_of_scope_a_future_and_a_question_mark_with_nowhere_to_go(types) -> None:
    scope = _story(types, TYPES, "write!(s,")
    assert scope.code == "E0599" and _names(scope) == ["import the trait"]
    assert "std::fmt::Write" in scope.why
    fut = _story(types, TYPES, "load().len()")
    assert fut.code == "E0599" and _names(fut) == ["await it where it is created"]
    q = _story(types, TYPES, "s.parse()?")
    assert q.code == "E0277" and "From" not in q.summary + q.why
    assert q.invariant.startswith("Early return") and _names(q)[0] == "return `Result`"


def test_if_let_only_for_a_match_whose_value_is_unused_and_no_chain_for_two_structs(types) -> None:
    matches = sorted((e for e in types if e.code == "E0004"), key=lambda e: e.primary.line)
    assert [("use if let" in _names(e)) for e in matches] == [False, True]
    pick = next(e for e in types if e.code == "E0308")
    assert "one type for every branch" not in _names(pick)
    assert {"box every branch", "an enum of the branches"} <= set(_names(pick))


def test_no_option_is_a_bare_cost_line(borrows, types) -> None:
    for e in (*borrows, *types):
        for o in e.options:
            assert o.how.strip(), (e.code, o.name)
