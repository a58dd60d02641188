"""A fix whose patch rewrites test code says so in its cost and ranks below an equal fix that
leaves the tests alone (#14, engine/explain/test_edits.py). Real cargo on a crate written here:
a struct field `&str` without a lifetime, whose "let the struct own it" fix is finished in steps,
one of them inside a test's `assert_eq!`."""

from __future__ import annotations

from pathlib import Path

import pytest

from engine.explain.test_edits import edits_tests
from engine.explain.validation import validate
from tests.explain.crates import explain_lib

pytestmark = pytest.mark.slow

TOKENS = """#[derive(Debug, PartialEq)]
pub struct Token {
    pub word: &str,
    pub pos: usize,
}

pub fn second<'a>(s: &'a str) -> Option<Token<'a>> {
    s.split(' ').enumerate().map(|(pos, word)| Token { word: word, pos }).nth(1)
}

pub fn longer(a: &str, b: &str) -> &str {
    if b.len() > a.len() { b } else { a }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn takes_the_second_word() {
        assert_eq!(second("a bc"), Some(Token { word: "bc", pos: 1 }));
    }
}
"""


def test_a_fix_that_edits_a_test_assertion_says_so(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setenv("RUSTA_CACHE_DIR", str(tmp_path / "cache"))
    stories = explain_lib(tmp_path, "tokens", TOKENS)
    run = validate(stories, tmp_path / "tokens")
    fixes = [o for e in run.explanations if e.code == "E0106" for o in e.fixes]
    in_tests = [
        o for o in fixes if any('"bc".to_string()' in ln or '"bc".to_owned()' in ln for ln in o.shows)
    ]
    assert in_tests, [(o.name, o.validated, o.shows) for o in fixes]
    for o in in_tests:
        assert o.cost.endswith("also rewrites 1 test assertion"), o.cost
        assert edits_tests(o)
    clean = [o for o in fixes if not edits_tests(o)]
    assert clean, [o.name for o in fixes]
    for o in clean:  # nothing that leaves the tests alone is called a test rewrite
        assert "also rewrites" not in o.cost
    # within its story, a fix of the same verdict that leaves the tests alone goes first
    for e in run.explanations:
        order = [o.id for o in e.fixes]
        for o in (f for f in e.fixes if edits_tests(f)):
            for c in (f for f in e.fixes if not edits_tests(f)):
                if (
                    c.validated == o.validated
                    and c.errors_left + c.errors_new <= o.errors_left + o.errors_new
                ):
                    assert order.index(c.id) < order.index(o.id), [f.name for f in e.fixes]
