""" "lifetime may not live long enough" in a method of `impl Trait for Type`: the trait fixes the
signature, so tying its lifetimes or adding an outlives bound is not offered (E0195/E0308 there);
when the method returns a borrow into an owned field of `self`, the way out is what the type holds.
An inherent method of the same crate keeps the signature advice. Real cargo on a crate written here.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from modes.rendering import render_text
from tests.explain import honesty
from tests.explain.crates import explain_lib, option_names, story

pytestmark = pytest.mark.slow

CHUNKS = """use std::marker::PhantomData;

pub struct Chunks<'a> {
    data: Vec<u8>,
    size: usize,
    _from: PhantomData<&'a [u8]>,
}

impl<'a> Iterator for Chunks<'a> {
    type Item = &'a [u8];

    fn next(&mut self) -> Option<&'a [u8]> {
        if self.data.is_empty() {
            return None;
        }
        let n = self.size.min(self.data.len());
        Some(&self.data[..n])
    }
}

pub struct Label {
    name: String,
}

impl Label {
    pub fn or_default<'a>(&self, fallback: &'a str) -> &'a str {
        if fallback.is_empty() { fallback } else { &self.name }
    }
}
"""


def test_a_trait_impl_method_gets_no_signature_advice(tmp_path: Path) -> None:
    stories = explain_lib(tmp_path, "chunks", CHUNKS)
    it = story(stories, CHUNKS, "Some(&self.data[..n])")
    names = option_names(it)
    assert "tie the lifetimes in the signature" not in names, names
    assert "state that one lifetime outlives the other" not in names, names
    assert names[0] == "borrow the data in the type instead of owning it", names
    assert "The trait fixes this method's signature" in render_text(it, "pair")
    inherent = story(stories, CHUNKS, "&self.name")
    other = option_names(inherent)
    assert "borrow the data in the type instead of owning it" not in other, other
    assert "state that one lifetime outlives the other" in other, other
    program = honesty.program_tokens(tmp_path / "chunks")
    quotes = honesty.rustc_quotes(it.diagnostics)
    lies = [s.code for s in honesty.shown(it, render_text) if not honesty.judge(it, s, program, quotes)]
    assert not lies, lies
