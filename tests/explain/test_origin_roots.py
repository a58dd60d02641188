"""The root cause is the mistake, never correct code rustc merely names. Real cargo on small crates.

- an argument that does not fit its parameter: the argument (or, for `&x` where `&mut` is wanted,
  the `let` that declared `x` without `mut`), never the callee's "function defined here";
- a value that cannot go to another thread: where the variable holding the `Rc` was made, never the
  `spawn` call; `Arc` (and `Mutex` for a `RefCell`) offered only when rustc's type has them;
- a `.clone()` that rustc types as `&T`: the clone, and the missing `Clone` on `T`, never "change the
  declaration" to the reference type;
- a write to a `static` item: the static and its type (an atomic for an integer or `bool`, a lock
  otherwise, or state passed explicitly), never the `&mut`-reference template.
"""

from __future__ import annotations

import pytest

from tests.explain.crates import explain_lib, line_of
from tests.explain.crates import option_names as _names
from tests.explain.crates import story as _story
from tests.explain.crates import story_text as _text

pytestmark = pytest.mark.slow

TYPES = """use std::cell::RefCell;
use std::rc::Rc;
use std::thread;

fn fill(out: &mut Vec<u8>, n: u8) {
    out.push(n);
}

fn width(s: &str) -> usize {
    s.len()
}

pub fn filled() -> usize {
    let buf: Vec<u8> = Vec::new();
    fill(&buf, 3);
    width(7)
}

pub fn tally(words: Vec<String>) {
    let seen = Rc::new(RefCell::new(Vec::new()));
    let mut hs = Vec::new();
    for w in words {
        let mine = Rc::clone(&seen);
        hs.push(thread::spawn(move || mine.borrow_mut().push(w)));
    }
}

pub fn names(list: Vec<String>) {
    let shared: Rc<Vec<String>> = Rc::new(list);
    thread::spawn(move || shared.len());
}

pub fn copies<T: std::fmt::Debug>(items: &[T]) -> Vec<T> {
    let mut out = Vec::new();
    for it in items {
        out.push(it.clone());
    }
    out
}
"""

PLACES = """static SERIAL: u32 = 0;
static NAMES: Vec<String> = Vec::new();

pub fn next_serial() -> u32 {
    SERIAL += 1;
    SERIAL
}

pub fn remember(name: &str) {
    NAMES.push(name.to_string());
}
"""


@pytest.fixture(scope="module")
def crates(tmp_path_factory: pytest.TempPathFactory) -> dict[str, tuple]:
    tmp = tmp_path_factory.mktemp("origins")
    return {
        "types": explain_lib(tmp, "origin_types", TYPES),
        "places": explain_lib(tmp, "origin_places", PLACES),
    }


def test_a_shared_borrow_for_a_mut_parameter_starts_at_the_binding_without_mut(crates) -> None:
    e = _story(crates["types"], TYPES, "fill(&buf, 3)", "E0308")
    assert e.root_cause.line == line_of(TYPES, "let buf: Vec<u8>")
    assert "without `mut`" in e.root_cause_reason
    assert "converts nothing" not in e.why


def test_an_argument_of_the_wrong_type_is_the_root_never_the_callee(crates) -> None:
    e = _story(crates["types"], TYPES, "width(7)", "E0308")
    assert e.root_cause.line == e.primary.line != line_of(TYPES, "fn width(")
    assert "argument" in e.root_cause_reason


def test_a_value_sent_to_a_thread_starts_where_its_rc_was_made(crates) -> None:
    e = _story(crates["types"], TYPES, "thread::spawn(move || mine", "E0277")
    assert e.root_cause.line == line_of(TYPES, "let seen = Rc::new")
    assert _names(e)[0] == "share it with Arc and Mutex"
    assert "std::sync::Mutex" in e.options[0].how


def test_an_rc_without_refcell_is_offered_arc_alone(crates) -> None:
    e = _story(crates["types"], TYPES, "thread::spawn(move || shared", "E0277")
    assert e.root_cause.line == line_of(TYPES, "let shared: Rc<Vec<String>>")
    assert _names(e) == ["share it with Arc"]
    assert "Mutex" not in e.options[0].how.split(";")[0]


def test_a_clone_that_gives_a_reference_is_the_root_and_clone_is_what_is_missing(crates) -> None:
    # `T` is a type parameter: the root is where it is declared, the bound's place (review D: d02)
    declared = line_of(TYPES, "pub fn copies<T: std::fmt::Debug>")
    e = next(s for s in crates["types"] if s.code == "E0308" and s.root_cause.line == declared)
    assert _names(e)[0] == "give the type `Clone`"
    assert "change the declaration" not in _names(e)
    assert "cloned the reference" in e.root_cause_reason


@pytest.mark.parametrize(
    ("text", "option"), [("SERIAL += 1", "use an atomic"), ("NAMES.push", "put it behind a lock")]
)
def test_a_write_to_a_static_is_about_statics(crates, text: str, option: str) -> None:
    e = _story(crates["places"], PLACES, text)
    static_line = line_of(PLACES, "static SERIAL" if "SERIAL" in text else "static NAMES")
    assert e.root_cause.line == static_line
    assert e.invariant.startswith("Statics:")
    assert _names(e)[0] == option and "pass the state explicitly" in _names(e)
    assert "take &mut" not in _names(e) and "reference" not in e.summary
    other = {"use an atomic", "put it behind a lock"} - {option}
    assert not other & set(_names(e))
    assert "&mut` reference and pass" not in _text(e)
