""" "lifetime may not live long enough" where the returned expression branches and only one branch
uses the parameter rustc calls `'1` (`&self`): that branch is the root cause; where every branch
uses it, or the expression does not branch, the root stays where rustc points. Real cargo on a crate
written here."""

from __future__ import annotations

from pathlib import Path

from tests.explain.crates import explain_lib, line_of

DICT = """pub struct Dict {
    fallback: String,
    words: Vec<String>,
}

impl Dict {
    pub fn pick<'a>(&self, key: &'a str) -> &'a str {
        match key.split_once('=') {
            Some((_, value)) => value,
            None if key.is_empty() => key,
            None => &self.fallback,
        }
    }

    pub fn nth<'a>(&self, i: usize, spare: &'a str) -> &'a str {
        match self.words.get(i) {
            Some(w) => w,
            None => spare,
        }
    }
}
"""


def test_the_one_branch_using_self_is_the_root_cause(tmp_path: Path) -> None:
    stories = [e for e in explain_lib(tmp_path, "dict", DICT) if "lifetime" in e.message]
    assert len(stories) == 2
    pick = next(e for e in stories if e.primary.line == line_of(DICT, "match key.split_once"))
    assert pick.root_cause.line == line_of(DICT, "&self.fallback")
    assert "only this one uses `self`" in pick.root_cause_reason
    # rustc points at the arm itself (`w` borrows `self.words` through the scrutinee): it stays
    nth = next(e for e in stories if e.primary.line == line_of(DICT, "Some(w) => w"))
    assert nth.root_cause.line == nth.primary.line
