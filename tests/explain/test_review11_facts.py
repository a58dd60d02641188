"""Statements a fact decides, never the error code's template. Real cargo on small crates.

- a field read on a `Result`/`Option` is reached by handling the wrapper where the value is made,
  never "fix the name" or "add the field to the struct";
- a field read on a type parameter (`&Self` in a trait's default method) needs an accessor method in
  the trait; "add the field" is offered only for the crate's own struct that lacks it;
- a mutable borrow through `RefCell::borrow`'s guard is fixed by the RefCell's mutable borrow, never
  "store it in a RefCell" nor an "immutable binding";
- a recursive type whose variant holds itself twice boxes every recursive field (rustc's help boxes
  one) before any redesign with indices;
- rustc's "change this to return `FnMut`" on a returned `impl Fn` is the root cause, and study mode
  never says "none of its notes points elsewhere" while rustc labels another line;
- a closure that calls itself becomes a nested fn, never "move the declaration to an enclosing scope";
- "clone at the move" needs a type that can be cloned (rustc's "consider cloning" help, or std's docs
  showing a `Clone` impl: `File` has none), and no borrow goes into a closure `thread::spawn` takes;
- values returned while they borrow a local are made to own their data or take it from the caller,
  never "return the owned value" (there is none) or `Cow`.
"""

from __future__ import annotations

import pytest

from modes.study import _root
from tests.explain.crates import explain_lib, line_of
from tests.explain.crates import option_names as _names
from tests.explain.crates import story as _story
from tests.explain.crates import story_text as _text

pytestmark = pytest.mark.slow

FIELDS = """use std::sync::Mutex;

pub struct Tally {
    pub hits: u32,
}

pub fn bump(t: &Mutex<Tally>) -> u32 {
    t.lock().hits + 1
}

pub trait Animal {
    fn legs(&self) -> u32;
    fn describe(&self) -> String {
        format!("{} legs, {} kg", self.legs(), self.weight)
    }
}

pub fn first(v: &[Tally]) -> u32 {
    v.first().hits
}

pub fn misses(t: &Tally) -> u32 {
    t.misses
}

pub enum Tree {
    Leaf(i64),
    Pair(Tree, Tree),
}
"""

CELLS = """use std::cell::RefCell;

pub struct Log {
    pub lines: RefCell<Vec<String>>,
}

impl Log {
    pub fn add(&self, s: &str) {
        self.lines.borrow().push(s.to_string());
    }
}

pub struct Word<'a> {
    pub text: &'a str,
}

pub fn words(line: &str) -> Vec<Word<'_>> {
    let trimmed = line.trim().replace(",", " ");
    trimmed.split(' ').map(|w| Word { text: w }).collect()
}

pub fn recorder() -> impl Fn(u32) -> usize {
    let mut seen = Vec::new();
    move |x| {
        seen.push(x);
        seen.len()
    }
}
"""

NAMES = """pub fn countdown(n: u32) -> Vec<u32> {
    let step = |k: u32, out: &mut Vec<u32>| {
        out.push(k);
        if k > 0 {
            step(k - 1, out);
        }
    };
    let mut out = Vec::new();
    step(n, &mut out);
    out
}

pub fn twice(x: u32) -> u32 {
    doubled(x)
}
"""

MOVES = """use std::fs::File;
use std::thread;

pub fn drain(files: Vec<File>) {
    let log = File::create("log.txt").unwrap();
    for f in files {
        thread::spawn(move || {
            let _ = (&f, &log);
        });
    }
}

pub fn names(v: Vec<String>) -> usize {
    let w = v;
    v.len() + w.len()
}
"""


@pytest.fixture(scope="module")
def crates(tmp_path_factory: pytest.TempPathFactory) -> dict[str, tuple]:
    tmp = tmp_path_factory.mktemp("r11")
    return {
        name: explain_lib(tmp, f"r11_{name}", src)
        for name, src in (("fields", FIELDS), ("cells", CELLS), ("names", NAMES), ("moves", MOVES))
    }


@pytest.mark.parametrize("text", ["t.lock().hits", "v.first().hits"])
def test_a_field_read_on_a_result_or_option_unwraps_where_the_value_is_made(crates, text: str) -> None:
    e = _story(crates["fields"], FIELDS, text, "E0609")
    assert _names(e) == ["unwrap where the value is made"]
    assert "add the field" not in _names(e) and "fix the name" not in _names(e)
    assert "`Result` or `Option`" in e.summary


def test_a_field_read_on_self_in_a_trait_needs_an_accessor(crates) -> None:
    e = _story(crates["fields"], FIELDS, "self.weight", "E0609")
    assert _names(e)[0] == "add an accessor method to the trait"
    assert "add the field" not in _names(e) and "Add it to the struct definition" not in _text(e)


def test_add_the_field_stays_for_the_crates_own_struct(crates) -> None:
    e = _story(crates["fields"], FIELDS, "t.misses", "E0609")
    assert "add the field" in _names(e)


def test_a_mutable_borrow_through_a_refcell_shared_borrow_says_borrow_mut(crates) -> None:
    e = _story(crates["cells"], CELLS, "self.lines.borrow().push", "E0596")
    assert _names(e) == ["borrow it mutably"] and "borrow_mut" in e.options[0].how
    assert "immutable binding" not in e.title and "store it in a RefCell" not in _text(e)


def test_a_type_recursive_in_two_fields_boxes_every_one_before_indices(crates) -> None:
    e = _story(crates["fields"], FIELDS, "pub enum Tree", "E0072")
    assert _names(e)[0] == "box every recursive field" and "use indices" in _names(e)[1:]
    assert "not only the one rustc's help marks" in e.options[0].how


def test_a_returned_impl_fn_that_mutates_a_capture_starts_at_the_return_type(crates) -> None:
    e = _story(crates["cells"], CELLS, "seen.push(x)", "E0596")
    assert e.root_cause.line == line_of(CELLS, "pub fn recorder()")


def test_study_never_denies_a_label_rustc_put_on_another_line(crates) -> None:
    generic = _story(crates["fields"], FIELDS, "self.weight", "E0609")
    assert generic.root_cause.line == generic.primary.line
    assert "none of its notes points elsewhere" not in _root(generic, 100)[0].text
    local = _story(crates["fields"], FIELDS, "t.misses", "E0609")
    assert "none of its notes points elsewhere" in _root(local, 100)[0].text


def test_a_closure_that_calls_itself_becomes_a_nested_fn(crates) -> None:
    e = _story(crates["names"], NAMES, "step(k - 1, out)", "E0425")
    assert _names(e) == ["make it a nested fn"] and "enclosing scope" not in _text(e)
    other = _story(crates["names"], NAMES, "doubled(x)", "E0425")
    assert "make it a nested fn" not in _names(other)


def test_a_value_moved_into_a_spawned_thread_is_neither_borrowed_nor_cloned_when_not_clone(crates) -> None:
    e = _story(crates["moves"], MOVES, "thread::spawn(move ||", "E0382")
    assert "borrow instead of moving" not in _names(e) and "clone at the move" not in _names(e)
    assert "clone it per iteration" not in e.why


def test_a_clonable_value_keeps_its_clone_and_borrow(crates) -> None:
    e = _story(crates["moves"], MOVES, "v.len() + w.len()", "E0382")
    assert _names(e)[:2] == ["borrow instead of moving", "clone at the move"]


def test_values_borrowing_a_local_own_their_data_or_take_it_from_the_caller(crates) -> None:
    e = _story(crates["cells"], CELLS, "trimmed.split(' ')", "E0515")
    assert _names(e) == ["return owned data", "let the caller own it"]
    assert "Cow" not in _text(e) and "return it owned" not in e.why
