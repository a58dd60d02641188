"""E0023, a tuple-variant pattern with the wrong number of fields: `_` for each missing field (or
`..` when several are missing), and trailing extra bindings dropped when the arm does not use them;
nothing dropped when it does. Real cargo on a small library crate written here."""

from __future__ import annotations

import pytest

from engine.explain.validation import validate
from tests.explain.crates import explain_lib, story

pytestmark = pytest.mark.slow

TOKENS = """pub enum Token {
    Pair(char, char, usize, usize),
    Word(String),
    Num(i64),
}

pub fn width(t: &Token) -> usize {
    match t {
        Token::Pair(open, close) => open.len_utf8() + close.len_utf8(),
        Token::Word(w, start) => w.len(),
        Token::Num(n, base) => *n as usize + base,
    }
}
"""


def _checked(tmp_path, text):
    stories = explain_lib(tmp_path, "tokens", TOKENS)
    e = story(stories, TOKENS, text, "E0023")
    checked = validate(list(stories), tmp_path / "tokens").explanations
    return next(c for c in checked if c.primary == e.primary and c.code == e.code)


def _compiling(e, text):
    return [f for f in e.fixes if f.validated in ("compiles", "type-checks") and text in "".join(f.shows)]


def test_several_missing_fields_are_ignored_with_rest_pattern(tmp_path):
    e = _checked(tmp_path, "Token::Pair(open, close)")
    assert _compiling(e, "Token::Pair(open, close, ..)"), [(f.name, f.validated) for f in e.fixes]


def test_an_unused_extra_binding_is_dropped(tmp_path):
    e = _checked(tmp_path, "Token::Word(w, start)")
    assert _compiling(e, "Token::Word(w) =>"), [(f.name, f.validated) for f in e.fixes]


def test_an_extra_binding_the_arm_uses_is_not_dropped(tmp_path):
    e = _checked(tmp_path, "Token::Num(n, base)")
    assert not any("Token::Num(n) =>" in "".join(f.shows) for f in e.fixes)
