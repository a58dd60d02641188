"""The model the story states matches what the code does: E0621 where a method keeps a parameter's
reference in `self` says it is stored, never that it is returned (a method that returns it keeps the
"returned" story); E0027 says `..` hides fields added later, never that it makes them noticed.
Real cargo on crates written here."""

from __future__ import annotations

import pytest

from tests.explain.crates import explain_lib, option_names, story

pytestmark = pytest.mark.slow

SRC = """pub struct Board<'a> {
    pub pins: Vec<&'a str>,
    pub top: &'a str,
}

impl<'a> Board<'a> {
    pub fn pin(&mut self, note: &str) {
        self.pins.push(note);
    }
    pub fn crown(&mut self, note: &str) {
        self.top = note;
    }
    pub fn pick(&self, other: &str) -> &'a str {
        if other.is_empty() { self.top } else { other }
    }
}

pub struct Dims { pub w: u32, pub h: u32, pub d: u32 }

pub fn volume(x: &Dims) -> u32 {
    let Dims { w, h } = x;
    w * h
}
"""


def test_a_kept_reference_is_said_to_be_stored_and_a_returned_one_returned(tmp_path):
    stories = explain_lib(tmp_path, "board", SRC)
    for text in ("self.pins.push(note)", "self.top = note"):
        e = story(stories, SRC, text, "E0621")
        said = f"{e.summary} {e.why}"
        assert "stores `note`" in said or "keeps `note`" in said, said
        assert "returns" not in said and "return" not in " ".join(option_names(e)), (said, option_names(e))
    ret = story(stories, SRC, "else { other }", "E0621")
    assert "returned" in f"{ret.summary} {ret.why}"

    pat = story(stories, SRC, "let Dims { w, h } = x;", "E0027")
    assert "ignored here" in pat.why and "noticed" not in pat.why, pat.why
