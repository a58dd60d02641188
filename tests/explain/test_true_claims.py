"""Single claims that were false on programs nobody here wrote, checked on a crate written here (#14):
- a field behind `&self` is no parameter: the option names the receiver (`&self` -> `&mut self`),
  and a field of a parameter names that parameter, never the field;
- an `Fn` closure that changes a capture breaks the closure kind's rule, not the binding's (the
  binding is `mut` already): the invariant says so;
- returned closures do not "require 'static": a returned closure may borrow its inputs, only not
  the function's locals. Real cargo."""

from __future__ import annotations

from tests.explain.crates import explain_lib, story, story_text

SRC = """pub struct Tally { pub seen: Vec<u32> }

impl Tally {
    pub fn note(&self, n: u32) {
        self.seen.push(n);
    }
}

pub struct Pair { pub left: Vec<u8> }

pub fn grow(p: &Pair) {
    p.left.push(0);
}

pub fn fill(bytes: &Vec<u8>) {
    bytes.push(7);
}

impl Pair {
    fn clear_left(&mut self) {
        self.left.clear();
    }
    pub fn reset(&self) {
        self.clear_left();
    }
}

fn twice<F: Fn()>(f: F) {
    f();
    f();
}

pub fn log_twice() -> usize {
    let mut log: Vec<&str> = Vec::new();
    twice(|| log.push("hit"));
    log.len()
}

pub fn measure() -> impl Fn() -> usize {
    let items = vec![3, 4];
    || items.len()
}

pub fn borrowing<'a>(s: &'a str) -> impl Fn() -> usize + 'a {
    move || s.len()
}
"""


def test_claims_name_what_the_program_has(tmp_path):
    stories = explain_lib(tmp_path, "claims", SRC)

    field = story(stories, SRC, "self.seen.push(n)", "E0596")
    text = story_text(field)
    assert "is a parameter behind" not in text
    assert "`&mut self`" in text and "`self` receiver" in text, text

    param = story(stories, SRC, "p.left.push(0)", "E0596")
    text = story_text(param)
    assert "When `p.left` is a parameter" not in text
    assert "reached through `p`" in text, text

    deref = story(stories, SRC, "bytes.push(7)", "E0596")
    text = story_text(deref)
    assert "When `*bytes` is a parameter" not in text and "reached through `bytes`" in text, text

    receiver = story(stories, SRC, "self.clear_left()", "E0596")
    text = story_text(receiver)
    assert "is a parameter behind" not in text and "`&mut self`" in text, text

    closure = story(stories, SRC, 'log.push("hit")', "E0596")
    assert "`Fn` closure" in closure.invariant, closure.invariant
    assert "a `mut` binding" not in closure.invariant

    returned = story(stories, SRC, "|| items.len()", "E0373")
    said = " ".join([returned.invariant, returned.why, returned.summary])
    assert "returned closures require" not in said
    assert "cannot borrow the function's locals" in said, said
    assert not [e for e in stories if e.primary.line == SRC.splitlines().index("    move || s.len()") + 1]
