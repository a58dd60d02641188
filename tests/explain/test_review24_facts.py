"""Option texts that a fact decides, checked with real cargo on small crates (review 24).

- removing a `*` from a field reached through `&mut` changes the field itself: "the value is
  already a copy" is said only of a binding that owns a primitive `Copy` value;
- "pass `&x` instead of `x` where it is moved" is offered only where the receiving parameter takes a
  reference (a crate fn's `&str`), never into `Vec<String>::push`, where a clone at the move is;
- an iterator has no `len` because it is not an ExactSizeIterator (its length is unknown until it
  runs), never "because it is lazy" (a map over a slice is lazy and has `len`);
- an unknown struct-literal field is "fixed by its name" only where rustc's help names a similar
  field; otherwise the lead is adding the field (and rustc's E0063 for fields left unset);
- where rustc finds a `Result`/`Option` and expects what it wraps, the root cause is the expression
  that gives the wrapper, never the right annotation rustc labels "expected due to this";
- "loop over indices" does not forbid a call that pushes: the range is computed once, so what the
  call adds is not visited (and what it removes makes a later index panic);
"""

from __future__ import annotations

import pytest

from tests.explain.crates import explain_lib
from tests.explain.crates import story as _story
from tests.explain.crates import story_text as _text

pytestmark = pytest.mark.slow

DEREFS = """pub struct Player {
    pub score: u32,
}

pub fn win(players: &mut Vec<Player>) {
    for p in players.iter_mut() {
        *p.score += 1;
    }
}

pub fn total(v: &[u32]) -> u32 {
    let mut t = 0;
    for x in v.iter().copied() {
        t += *x;
    }
    t
}

pub fn alive(v: &[Player]) -> usize {
    v.iter().filter(|p| p.score > 0).len()
}

pub fn letters(s: &str) -> usize {
    s.split(' ').filter(|w| !w.is_empty()).len()
}
"""


def test_deref_of_a_field_is_not_a_copy(tmp_path):
    stories = explain_lib(tmp_path, "derefs", DEREFS)
    field = _text(_story(stories, DEREFS, "*p.score", "E0614"))
    assert "copy" not in field and "reaches that place" in field
    binding = _text(_story(stories, DEREFS, "t += *x", "E0614"))
    assert "holds its own copy" in binding
    lens = [e for e in stories if e.code == "E0599"]  # the two `len`s, one story or two
    assert lens and all("ExactSizeIterator" in e.summary and "holds no items" not in _text(e) for e in lens)


MOVES = """pub fn tokens(s: &str) -> Vec<&str> {
    s.split(' ').collect()
}

pub fn shout(s: &str) -> usize {
    s.len()
}

pub fn keep() -> usize {
    let mut history: Vec<String> = Vec::new();
    let line = String::from("a b");
    let toks = tokens(&line);
    history.push(line);
    toks.len() + history.len()
}

pub fn show() -> usize {
    let word = String::from("a b");
    let toks = tokens(&word);
    let n = consume(word);
    toks.len() + n
}

pub fn consume(s: String) -> usize {
    shout(&s)
}

pub fn measure(s: impl AsRef<str>) -> usize {
    s.as_ref().len()
}

pub fn look() -> usize {
    let word = String::from("a b");
    let toks = tokens(&word);
    let n = measure(word);
    toks.len() + n
}
"""


def test_borrow_at_the_move_needs_a_parameter_that_takes_one(tmp_path):
    stories = explain_lib(tmp_path, "moves", MOVES)
    pushed = _story(stories, MOVES, "history.push(line)", "E0505")
    assert "borrow at the move" not in [o.name for o in pushed.options]
    assert "clone at the move" in [o.name for o in pushed.options]
    owned = _story(stories, MOVES, "consume(word)", "E0505")
    assert "borrow at the move" not in [o.name for o in owned.options]
    generic = _story(stories, MOVES, "measure(word)", "E0505")
    assert "borrow at the move" in [o.name for o in generic.options]


LOOPS = """pub struct List {
    pub items: Vec<String>,
}

impl List {
    pub fn add(&mut self, s: &str) {
        self.items.push(s.to_string());
    }

    pub fn repeat(&mut self) {
        for s in &self.items {
            self.add(s);
        }
    }
}
"""


def test_index_loop_trade_off_is_true_for_a_call_that_pushes(tmp_path):
    stories = explain_lib(tmp_path, "loops", LOOPS)
    e = _story(stories, LOOPS, "self.add(s)", "E0502")
    by_name = {o.name: o for o in e.options}
    assert "must not change the length" not in _text(e)
    assert "adds are not visited" in by_name["loop over indices"].tradeoff


FIELDS = """pub struct Config {
    pub name: String,
    pub port: u16,
}

pub fn typo() -> Config {
    Config { nmae: String::new(), port: 1 }
}

pub fn unknown(verbose: bool) -> Config {
    Config { name: String::new(), port: 1, verbose }
}
"""


def test_unknown_field_is_a_typo_only_where_rustc_names_a_similar_one(tmp_path):
    stories = explain_lib(tmp_path, "fields", FIELDS)
    typo = [o.name for o in _story(stories, FIELDS, "nmae:", "E0560").options]
    assert typo[0] == "fix the field name"
    unknown = _story(stories, FIELDS, "port: 1, verbose", "E0560").options
    assert "fix the field name" not in [o.name for o in unknown]
    assert unknown[0].name == "add the field to the struct" and "E0063" in unknown[0].tradeoff


WRAPPERS = """pub fn qty(args: &[String]) -> u32 {
    let n: u32 = args[0].parse();
    n
}

pub fn first(v: &[u8]) -> u8 {
    let x: &u8 = v.first();
    *x
}
"""


def test_unhandled_wrapper_is_the_root_not_the_annotation(tmp_path):
    stories = explain_lib(tmp_path, "wrappers", WRAPPERS)
    for text, col in (("args[0].parse()", "args[0]"), ("v.first()", "v.first")):
        e = _story(stories, WRAPPERS, text, "E0308")
        assert e.root_cause.column == WRAPPERS.splitlines()[e.root_cause.line - 1].index(col) + 1
        assert "must be handled here" in e.root_cause_reason
