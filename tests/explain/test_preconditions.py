"""A way out is shown only where its precondition holds in the code (engine/explain/preconditions.py).

Real cargo on crates written here; each shape twice, once where the option is false and once where it
holds, so a predicate that always answers one way fails one of the pair:

- "finish with the first borrow" needs a last use that can move; a returned one asks for the second
  borrow's work first;
- "borrow the other field" needs a method that touches none of the fields the first borrow holds (two
  indices into one `Vec` field are one field);
- `..` for an unknown pattern field only when the arm does not use what it binds;
- `&` at a move into an operator only with an operator impl for the borrowed operand;
- `&dyn Trait` for a generic method only when the bound can be a trait object; `Into<X>` takes `X`;
- "fix the name" never when rustc says the item comes from a trait the type parameter lacks;
- "the public function that wraps it" only when one does.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from engine.explain.types import Explanation
from tests.explain.crates import explain_lib, option_names, story

pytestmark = pytest.mark.slow

BORROWS = """use std::collections::HashMap;
use std::ops::Add;

pub struct Shelf {
    pub books: HashMap<u32, (String, u64)>,
    pub clock: u64,
}

impl Shelf {
    fn bump(&mut self) -> u64 {
        self.clock += 1;
        self.clock
    }

    pub fn lend(&mut self, id: u32) -> Option<&String> {
        let slot = self.books.get_mut(&id)?;
        slot.1 = self.bump(); // RETURNED
        Some(&slot.0)
    }
}

pub fn bump_first(scores: &mut Vec<u32>) {
    let first = &mut scores[0];
    let all = &mut *scores; // STATEMENT
    all.push(4);
    *first += 1;
}

pub struct Room {
    pub doors: Vec<usize>,
    pub seen: bool,
}

pub struct Maze {
    pub rooms: Vec<Room>,
    pub visits: u32,
}

impl Maze {
    fn mark(&mut self, r: usize) {
        self.rooms[r].seen = true;
    }

    fn count(&mut self, _r: usize) {
        self.visits += 1;
    }

    pub fn walk(&mut self, at: usize) {
        for &d in self.rooms[at].doors.iter() {
            self.mark(d); // SAME_VEC
        }
    }

    pub fn tally(&mut self, at: usize) {
        for &d in self.rooms[at].doors.iter() {
            self.count(d); // OTHER_FIELD
        }
    }
}

#[derive(Debug)]
pub struct Money(pub i64);

impl Add for Money {
    type Output = Money;
    fn add(self, o: Money) -> Money {
        Money(self.0 + o.0)
    }
}

#[derive(Debug)]
pub struct Coins(pub i64);

impl Add for Coins {
    type Output = Coins;
    fn add(self, o: Coins) -> Coins {
        Coins(self.0 + o.0)
    }
}

impl Add<Coins> for &Coins {
    type Output = Coins;
    fn add(self, o: Coins) -> Coins {
        Coins(self.0 + o.0)
    }
}

pub fn rent(a: Money, b: Money) -> String {
    let total = a + b;
    format!("{:?} {:?}", total, a) // NO_REF_IMPL
}

pub fn purse(a: Coins, b: Coins) -> String {
    let total = a + b;
    format!("{:?} {:?}", total, a) // REF_IMPL
}
"""

TYPES = """use std::fmt::Debug;

pub enum Msg {
    Text { from: u32, body: String },
    Ping,
}

pub fn size(m: &Msg) -> usize {
    match m {
        Msg::Text { from, length } => *from as usize + length, // USED
        Msg::Ping => 0,
    }
}

pub fn sender(m: &Msg) -> u32 {
    match m {
        Msg::Text { from, length } => *from, // UNUSED
        Msg::Ping => 0,
    }
}

pub trait Gauge {
    fn read(&self) -> f64;
    fn scale(&self, by: impl Into<f64>) -> f64;
}

pub trait Sink {
    fn name(&self) -> String;
    fn put<T: Debug>(&self, item: T) -> String;
}

pub fn gauges(g: &dyn Gauge) -> f64 { // INTO
    g.read()
}

pub fn sinks(s: &dyn Sink) -> String { // DEBUG
    s.name()
}

pub struct Pair<T> {
    pub a: T,
}

impl<T: std::fmt::Display> Pair<T> {
    pub fn zero() -> T {
        T::default() // BOUND
    }
}
"""

PRIVATE = """mod store {
    fn secret_total(xs: &[u32]) -> u32 {
        xs.iter().sum()
    }
    pub fn total(xs: &[u32]) -> u32 {
        secret_total(xs)
    }
    fn hidden_len(xs: &[u32]) -> usize {
        xs.len()
    }
}

pub fn report(xs: &[u32]) -> (u32, usize) {
    (store::secret_total(xs), store::hidden_len(xs))
}
"""


@pytest.fixture(scope="module")
def crates(tmp_path_factory: pytest.TempPathFactory) -> dict[str, tuple[Explanation, ...]]:
    tmp: Path = tmp_path_factory.mktemp("pre")
    return {
        name: explain_lib(tmp, name, src)
        for name, src in (("borrows", BORROWS), ("types", TYPES), ("private", PRIVATE))
    }


SRC = {"borrows": BORROWS, "types": TYPES, "private": PRIVATE}


def _names(crates: dict[str, tuple[Explanation, ...]], crate: str, marker: str, code: str) -> list[str]:
    return option_names(story(crates[crate], SRC[crate], marker, code))


def test_a_returned_last_use_is_not_moved_the_second_borrow_is(crates) -> None:
    returned = _names(crates, "borrows", "// RETURNED", "E0499")
    assert "finish with the first borrow" not in returned
    assert "do the second borrow's work first" in returned
    assert "borrow the fields, not the whole value" in returned  # `bump` touches only `clock`
    statement = _names(crates, "borrows", "// STATEMENT", "E0499")
    assert "finish with the first borrow" in statement
    assert "do the second borrow's work first" not in statement


def test_two_indices_into_one_vec_field_are_not_disjoint(crates) -> None:
    assert "borrow the other field directly" not in _names(crates, "borrows", "// SAME_VEC", "E0502")
    assert "borrow the other field directly" in _names(crates, "borrows", "// OTHER_FIELD", "E0502")


def test_a_reference_at_an_operator_move_needs_the_operator_impl_on_a_reference(crates) -> None:
    assert "borrow instead of moving" not in _names(crates, "borrows", "// NO_REF_IMPL", "E0382")
    assert "borrow instead of moving" in _names(crates, "borrows", "// REF_IMPL", "E0382")


def test_dot_dot_replaces_only_a_field_the_arm_does_not_use(crates) -> None:
    assert "drop it" not in _names(crates, "types", "// USED", "E0026")
    assert "fix the field name" in _names(crates, "types", "// USED", "E0026")
    assert "drop it" in _names(crates, "types", "// UNUSED", "E0026")


def test_a_trait_object_argument_only_for_a_dyn_compatible_bound(crates) -> None:
    into = _names(crates, "types", "// INTO", "E0038")
    assert "take a trait object argument" not in into
    assert "take the target type" in into
    debug = _names(crates, "types", "// DEBUG", "E0038")
    assert "take a trait object argument" in debug
    assert "take the target type" not in debug


def test_a_missing_bound_is_not_a_misspelled_name(crates) -> None:
    names = _names(crates, "types", "// BOUND", "E0599")
    assert "fix the name" not in names
    assert "bound the type parameter" in names


def test_the_public_wrapper_only_where_one_exists(crates) -> None:
    src = SRC["private"]
    wrapped = next(e for e in crates["private"] if "secret_total" in e.diagnostics[0].message)
    unwrapped = next(e for e in crates["private"] if "hidden_len" in e.diagnostics[0].message)
    assert src and "use the public API" in option_names(wrapped)
    assert "use the public API" not in option_names(unwrapped)


MUTATED = """pub fn run<F: Fn(u32) -> String>(f: F) -> String {
    f(1)
}

pub fn go() -> String {
    let log = vec![String::from("start")];
    run(move |n| {
        let mut log = log;
        log.push(format!("ok {n}"));
        log.join(";")
    })
}
"""
READ = """pub fn run<F: Fn(u32) -> usize>(f: F) -> usize {
    f(1)
}

pub fn go() -> usize {
    let log = vec![String::from("start")];
    run(move |n| {
        let seen = log;
        seen.len() + n as usize
    })
}
"""


@pytest.mark.parametrize(("name", "src", "taken_back"), [("mutated", MUTATED, True), ("read", READ, False)])
def test_a_way_out_the_check_disproves_is_taken_back_with_the_reason(tmp_path, name, src, taken_back) -> None:
    from engine.explain.validation import validate
    from modes.verdicts import study_verdict_lines

    stories = explain_lib(tmp_path, name, src)
    run = validate(stories, tmp_path / name)
    e, failed = run.explanations[0], run.failed[0]
    assert e.code == "E0507" and "borrow inside the closure" in option_names(e)
    said = [ln.text for ln in study_verdict_lines(e, failed)]
    back = [t for t in said if t.startswith("Way out 1, borrow inside the closure, does not hold here")]
    finished = any(f.steps and f.validated == "compiles" for f in e.fixes)
    assert bool(back) == (taken_back and not finished), said
    if taken_back and finished:  # the borrow, finished in steps (`&mut`, FnMut), compiles: said so
        assert any("alone is not enough" in t and "E0596" in t for t in said), said
    elif taken_back:
        assert "E0596" in back[0]
    else:  # the borrow compiles here, so the way out stands
        assert any(f.kind == "borrow" and f.validated == "compiles" for f in e.fixes), e.fixes
