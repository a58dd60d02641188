"""E0525: a closure whose body rules out the `Fn` trait its callee's bound asks for. The root cause
is the line of the body that decides the closure's kind (rustc: "closure is `FnOnce` because it
moves ..." / "`FnMut` because it mutates ..."), and the options follow what that line does: a move
out is borrowed or cloned there (or the bound takes `FnOnce`), a change goes behind a cell (or the
bound takes `FnMut`). E0631: a closure whose written parameter types differ from the ones the call
passes is rooted at its signature, with options that drop or fix the written types. Real cargo on
crates written here."""

from __future__ import annotations

import pytest

from tests.explain.crates import explain_lib, line_of, option_names, story_text

pytestmark = pytest.mark.slow

MOVES = """pub fn apply_all<F: Fn(u32) -> u32>(xs: &[u32], f: F) -> Vec<u32> {
    xs.iter().map(|&x| f(x)).collect()
}

pub fn scale(xs: &[u32]) -> Vec<u32> {
    let factors = vec![2u32, 3];
    let pick = move |x: u32| {
        let fs = factors;
        x * fs[0]
    };
    apply_all(xs, pick)
}
"""

MUTATES = """pub fn visit<F: Fn(&str)>(words: &[&str], f: F) {
    for w in words {
        f(w);
    }
}

pub fn longest(words: &[&str]) -> usize {
    let mut best = 0;
    let seen = |w: &str| {
        best = best.max(w.len());
    };
    visit(words, seen);
    best
}
"""


def _only(stories, code: str):
    found = [e for e in stories if e.code == code]
    assert len(found) == 1, [(e.code, e.message) for e in stories]
    return found[0]


def test_a_closure_that_moves_its_capture_out_is_rooted_at_the_move(tmp_path) -> None:
    e = _only(explain_lib(tmp_path, "moves_out", MOVES), "E0525")
    assert e.root_cause.line == line_of(MOVES, "let fs = factors;")
    assert e.primary.line == line_of(MOVES, "let pick")
    assert option_names(e)[:2] == ["borrow it inside", "move a clone out"]
    assert "accept FnOnce" in option_names(e)  # the bound is the crate's own
    assert "second call" in e.summary and f":{e.root_cause.line}" in e.summary
    text = story_text(e)
    assert "RefCell" not in text and "accept FnMut" not in text


def test_a_closure_that_changes_its_capture_is_offered_a_cell_or_fnmut(tmp_path) -> None:
    e = _only(explain_lib(tmp_path, "mutates", MUTATES), "E0525")
    assert e.root_cause.line == line_of(MUTATES, "best = best.max")
    assert option_names(e) == ["accept FnMut", "interior mutability"]
    assert "unique access" in e.why and "clone" not in story_text(e).lower()


FILTERS = """pub fn positives(xs: &[i32]) -> Vec<i32> {
    xs.iter().filter(|n: &i32| *n > 0).copied().collect()
}
"""


def test_a_closure_that_writes_owned_types_where_references_come_is_rooted_at_its_signature(tmp_path) -> None:
    e = _only(explain_lib(tmp_path, "filters", FILTERS), "E0631")
    assert e.root_cause.line == line_of(FILTERS, "|n: &i32|") and e.root_cause.column > e.primary.column
    assert option_names(e)[:2] == ["drop the written types", "write the expected types"]
    assert "never converted" in e.why
    assert f":{e.root_cause.line}" in e.summary
