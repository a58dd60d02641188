"""A borrowed associated type without a lifetime (`type Item = &str;`) in an impl that declares one
gets the impl's lifetime written in (`&'t str`), checked in the sandbox (#14, review E top-5 #5).

rustc's note steers toward a new type that borrows the iterator; when the implemented type already
holds the borrow, the impl's own lifetime parameter is the one-token fix. Real cargo on crates
written here: the fix compiles and the crate's test passes; an impl with no lifetime gets none.
"""

from __future__ import annotations

import pytest

from engine.explain.validation import validate
from engine.repair.impl_lifetime import impl_lifetime_in_item
from tests.explain.crates import errors_of, explain_lib, write_lib

pytestmark = pytest.mark.slow

# words of a borrowed text: the items borrow what `Words<'t>` borrows
WORDS = """pub struct Words<'t> {
    rest: &'t str,
}

impl<'t> Iterator for Words<'t> {
    type Item = &str;

    fn next(&mut self) -> Option<Self::Item> {
        let text = self.rest.trim_start();
        if text.is_empty() {
            return None;
        }
        let end = text.find(' ').unwrap_or(text.len());
        let (word, rest) = text.split_at(end);
        self.rest = rest;
        Some(word)
    }
}

pub fn count(text: &str) -> usize {
    Words { rest: text }.count()
}

#[cfg(test)]
mod tests {
    #[test]
    fn counts() {
        assert_eq!(super::count(" a bb  c "), 3);
    }
}
"""

# an owned buffer: no lifetime in the impl to borrow for, so nothing to write in
OWNED = """pub struct Bytes {
    data: Vec<u8>,
    at: usize,
}

impl Iterator for Bytes {
    type Item = &u8;

    fn next(&mut self) -> Option<Self::Item> {
        self.at += 1;
        self.data.get(self.at - 1)
    }
}
"""


def test_the_impls_lifetime_is_written_into_the_borrowed_item(tmp_path) -> None:
    (e,) = validate(list(explain_lib(tmp_path, "words", WORDS)), tmp_path / "words").explanations
    fix = next(o for o in e.fixes if "    type Item = &'t str;" in o.shows)
    assert fix.validated == "compiles", fix.fails_because
    assert fix.tests_run == "passed", fix
    assert "`'t`" in fix.name and "`Words<'t>`" in fix.name, fix.name


def test_an_impl_without_a_lifetime_gets_no_lifetime_fix(tmp_path) -> None:
    root = write_lib(tmp_path, "owned", OWNED)
    errs = errors_of(root, tmp_path)
    assert errs and "declared without lifetime parameters" in errs[0].message, errs
    assert impl_lifetime_in_item(errs[0], lambda rel: (root / rel).read_bytes()) == []
