"""Ownership transfer instead of a copy (#14): a value moved out of a place behind `&mut` (a field of
`&mut self`, an element of a `Vec` field, a tail `match` on a state field) or out of a local that is
cleared right after the move gets `std::mem::take` / `std::mem::replace` / `Vec::remove` / `pop`,
checked by cargo, ranked before any clone, with its behaviour said; the crate's own test passes with
the shown fix applied. Where the code only holds `&`, nothing is taken. Real cargo on library crates
written here."""

from __future__ import annotations

import pytest

from engine.explain.validation import validate
from engine.repair.grammar import grammar_candidates
from tests.explain.crates import crate_tests_with, explain_lib, story
from toolbelt.cargo_run import run_check

pytestmark = pytest.mark.slow


def _checked(tmp_path, name, src, text, code, *more):
    """The checked story on the line holding `text`, and those on the lines holding `more`."""
    stories = explain_lib(tmp_path, name, src)
    checked = validate(list(stories), tmp_path / name).explanations
    out = []
    for t in (text, *more):
        e = story(stories, src, t, code) if t else next(s for s in stories if s.code == code)
        out.append(next(c for c in checked if c.primary == e.primary and c.code == e.code))
    return out[0] if not more else out


def _compiling(e, text):
    return [f for f in e.fixes if f.validated == "compiles" and text in "\n".join(f.shows)]


def _shown(e):
    return [(f.name, f.validated, f.cost, f.shows) for f in e.fixes]


OUTBOX = """#[derive(Debug, Default, PartialEq)]
pub struct Batch {
    pub lines: Vec<String>,
}

pub struct Outbox {
    open: Batch,
    sealed: Vec<Batch>,
}

impl Outbox {
    pub fn new() -> Self {
        Outbox { open: Batch::default(), sealed: Vec::new() }
    }

    pub fn write(&mut self, line: &str) {
        self.open.lines.push(line.to_string());
    }

    pub fn seal(&mut self) {
        let batch = self.open;
        self.sealed.push(batch);
        self.open = Batch::default();
    }

    pub fn sealed(&self) -> usize {
        self.sealed.len()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    #[test]
    fn seals() {
        let mut o = Outbox::new();
        o.write("a");
        o.seal();
        o.write("b");
        o.seal();
        assert_eq!(o.sealed(), 2);
        assert_eq!(o.sealed[1].lines, vec!["b".to_string()]);
    }
}
"""


def test_a_field_behind_mut_self_overwritten_after_is_taken_before_any_clone(tmp_path):
    e = _checked(tmp_path, "outbox", OUTBOX, "let batch = self.open;", "E0507")
    take = _compiling(e, "std::mem::take(&mut self.open)")
    assert take, _shown(e)
    assert e.fixes[0].id == take[0].id, _shown(e)  # before rustc's clone and Rusta's
    assert "default" in take[0].cost and "overwritten right after" in take[0].cost
    for f in e.fixes:
        if ".clone()" in "\n".join(f.shows):
            assert "original stays usable" not in f.name, f.name
            if any("derive" in ln for ln in f.shows):  # `Batch` is pub: the derive is named
                assert "public type `Batch`" in f.cost, (f.name, f.cost)
    assert "through `&mut`" in e.invariant and "valid value" in e.invariant
    assert crate_tests_with(tmp_path, "outbox", take[0]) == "ok"


JOBS = """pub struct Jobs {
    queue: Vec<String>,
}

impl Jobs {
    pub fn new(names: &[&str]) -> Self {
        Jobs { queue: names.iter().map(|n| n.to_string()).collect() }
    }

    pub fn next_job(&mut self) -> Option<String> {
        if self.queue.is_empty() {
            return None;
        }
        let job = self.queue[0];
        Some(job)
    }

    pub fn newest(&mut self) -> Option<String> {
        let job = self.queue.last()?;
        Some(*job)
    }

    pub fn left(&self) -> usize {
        self.queue.len()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    #[test]
    fn hands_jobs_out_in_order() {
        let mut j = Jobs::new(&["x", "y", "z"]);
        assert_eq!(j.next_job().as_deref(), Some("x"));
        assert_eq!(j.next_job().as_deref(), Some("y"));
        assert_eq!(j.left(), 1);
    }
}
"""


def test_an_element_a_mut_self_method_hands_out_is_removed_from_the_vector(tmp_path):
    e, last = _checked(tmp_path, "jobs", JOBS, "let job = self.queue[0];", "E0507", "Some(*job)")
    remove = _compiling(e, "self.queue.remove(0)")
    assert remove and "order kept" in remove[0].cost, _shown(e)
    swap = _compiling(e, "self.queue.swap_remove(0)")
    assert swap and "order changes" in swap[0].cost, _shown(e)
    clones = [i for i, f in enumerate(e.fixes) if ".clone()" in "\n".join(f.shows)]
    assert all(e.fixes.index(remove[0]) < i for i in clones), _shown(e)
    # `let job = self.queue.last()?; Some(*job)` hands the last element out: `pop()` takes it
    pop = _compiling(last, "self.queue.pop()?")
    assert pop and last.fixes[0].id == pop[0].id, _shown(last)
    assert crate_tests_with(tmp_path, "jobs", remove[0], pop[0]) == "ok"


WORDS = """pub fn words(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut word = String::new();
    for ch in text.chars() {
        if ch == ' ' {
            out.push(word);
            word.clear();
        } else {
            word.push(ch);
        }
    }
    out.push(word);
    out
}

#[cfg(test)]
mod tests {
    #[test]
    fn splits() {
        assert_eq!(super::words("ab c"), vec!["ab".to_string(), "c".to_string()]);
    }
}
"""


def test_a_local_cleared_right_after_the_move_in_a_loop_is_taken_not_cloned(tmp_path):
    e = _checked(tmp_path, "words", WORDS, "", "E0382")
    take = _compiling(e, "out.push(std::mem::take(&mut word));")
    assert take and e.fixes[0].id == take[0].id, _shown(e)
    assert (
        not any("word.clear()" in ln for ln in take[0].shows)
        and "-            word.clear();" in take[0].patch
    )
    assert crate_tests_with(tmp_path, "words", take[0]) == "ok"


KEPT = WORDS.replace("            word.clear();\n", '            println!("{}", word.len());\n')


def test_no_take_when_the_moved_local_is_read_after_the_move(tmp_path):
    e = _checked(tmp_path, "kept", KEPT, "", "E0382")
    assert not any("mem::take" in "\n".join(f.shows) for f in e.fixes), _shown(e)


CONN = """#[derive(Debug)]
pub struct Session {
    pub user: String,
}

pub enum Conn {
    Closed,
    Open(Session),
    Failed(u16),
}

pub struct Client {
    conn: Conn,
}

impl Client {
    pub fn open(user: &str) -> Self {
        Client { conn: Conn::Open(Session { user: user.to_string() }) }
    }

    pub fn hang_up(&mut self) -> Option<Session> {
        match self.conn {
            Conn::Open(s) => {
                self.conn = Conn::Closed;
                Some(s)
            }
            _ => None,
        }
    }

    pub fn failed(&self) -> bool {
        matches!(self.conn, Conn::Failed(_))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    #[test]
    fn hangs_up_once() {
        let mut c = Client::open("ann");
        assert_eq!(c.hang_up().unwrap().user, "ann");
        assert!(c.hang_up().is_none());
        assert!(!c.failed());
    }
}
"""


def test_a_tail_match_that_returns_what_it_moved_replaces_and_restores_first(tmp_path):
    e = _checked(tmp_path, "conn", CONN, "match self.conn", "E0507")
    fix = _compiling(e, "std::mem::replace(&mut self.conn, Conn::Closed)")
    assert fix and e.fixes[0].id == fix[0].id, _shown(e)
    assert "other => { self.conn = other; None }," in "\n".join(fix[0].shows)
    assert "through `&mut`" in e.invariant, e.invariant
    assert "behind `&mut`" in e.why and "cannot take ownership" not in e.invariant
    assert crate_tests_with(tmp_path, "conn", fix[0]) == "ok"


SHARED = """pub struct Shelf {
    books: Vec<String>,
}

impl Shelf {
    pub fn first(&self) -> Option<String> {
        let b = self.books.first()?;
        Some(*b)
    }
}
"""


def test_nothing_is_taken_through_a_shared_borrow(tmp_path):
    e = _checked(tmp_path, "shelf", SHARED, "Some(*b)", "E0507")
    assert not any(
        t in "\n".join(f.shows) for f in e.fixes for t in ("remove(", "mem::take", "mem::replace", "pop()")
    ), _shown(e)


SLOTS = """pub struct Token {
    pub text: String,
}

pub fn swap_in(slot: &mut Vec<Token>, fresh: Vec<Token>) -> Vec<Token> {
    let old = *slot;
    *slot = fresh;
    old
}

pub struct Door {
    lock: Token,
}

impl Door {
    pub fn lock_text(&mut self) -> String {
        let t = self.lock;
        t.text
    }
}
"""


def test_a_deref_of_a_mut_reference_is_taken_and_a_type_without_default_is_not(tmp_path):
    deref, field = _checked(tmp_path, "slots", SLOTS, "let old = *slot;", "E0507", "let t = self.lock;")
    take = _compiling(deref, "let old = std::mem::take(slot);")
    assert take and deref.fixes[0].id == take[0].id, _shown(deref)
    assert "overwritten right after" in take[0].cost
    # `Token` has no `Default` (rustc names the type, the syntax tree says it derives none): no take
    # is even tried, where the `Vec<Token>` behind `slot` gets one
    root = tmp_path / "slots"
    report = run_check(root, target_dir=tmp_path / "target")
    tried = {
        d.message: [
            c.edits[0].replacement for c in grammar_candidates(d, lambda rel: (root / rel).read_bytes())
        ]
        for d in report.diagnostics
        if d.code_str == "E0507"
    }
    assert sorted(any("mem::take" in r for r in rs) for rs in tried.values()) == [False, True], tried
    for f in field.fixes:
        if any("derive" in ln and "Clone" in ln for ln in f.shows):
            assert "public type `Token`" in f.cost, (f.name, f.cost)
