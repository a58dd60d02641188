"""Options that edit a trait's declaration are offered only for a trait the crate declares; an impl
whose method returns another type than its associated type may change that type instead.

The general mistake: a knowledge-base option "change the trait" (E0053) or "declare it in the
trait" (E0407) was shown for `impl Iterator for T` and `impl Index<usize> for T`, whose traits are
std's and cannot be edited. The option now requires `local_impl_trait` (the syntax layer finds the
`impl Trait for T` around rustc's span, and the crate's own items define that trait). Real cargo on
small library crates written here, one with std traits and one with the crate's own.
"""

from __future__ import annotations

import pytest

from tests.explain.crates import explain_lib, story
from tests.explain.crates import option_names as names

pytestmark = pytest.mark.slow

STD_TRAITS = """use std::ops::Index;

pub struct Shelf {
    pub books: Vec<String>,
}

impl Index<usize> for Shelf {
    type Output = String;
    fn index(&self, i: u32) -> &String {
        &self.books[i as usize]
    }
}

pub struct Ticker(pub u8);

impl Iterator for Ticker {
    type Item = u8;
    fn next(&mut self) -> Option<u8> {
        None
    }
    fn rewind(&mut self) {}
}
"""

OWN_TRAIT = """pub trait Meter {
    fn read(&self) -> u32;
}

pub struct Gauge(pub u64);

impl Meter for Gauge {
    fn read(&self) -> u64 {
        self.0
    }
    fn reset(&mut self) {}
}
"""


def test_a_std_traits_declaration_is_never_offered_for_change(tmp_path):
    stories = explain_lib(tmp_path, "std_traits", STD_TRAITS)
    index = story(stories, STD_TRAITS, "fn index(&self, i: u32)", "E0053")
    extra = story(stories, STD_TRAITS, "fn rewind(&mut self)", "E0407")
    assert "match the trait" in names(index)
    assert "change the trait" not in names(index)  # `std::ops::Index` is std's
    assert "declare it in the trait" not in names(extra)  # `Iterator` is std's


def test_the_crates_own_trait_may_change(tmp_path):
    stories = explain_lib(tmp_path, "own_trait", OWN_TRAIT)
    read = story(stories, OWN_TRAIT, "fn read(&self) -> u64", "E0053")
    reset = story(stories, OWN_TRAIT, "fn reset(&mut self)", "E0407")
    assert "change the trait" in names(read)
    assert "declare it in the trait" in names(reset)


ITEMS = """pub struct Evens {
    pub at: u64,
}

impl Iterator for Evens {
    type Item = u64;
    fn next(&mut self) -> Option<u32> {
        self.at += 2;
        Some(self.at as u32)
    }
}

pub struct Steps(pub usize);

impl Iterator for Steps {
    type Item = usize;
    fn next(&mut self) -> Option<usize> {
        None
    }
    fn nth(&mut self, n: u32) -> Option<usize> {
        Some(n as usize)
    }
}
"""


def test_an_impls_associated_type_may_change_where_the_return_type_differs(tmp_path):
    stories = explain_lib(tmp_path, "items", ITEMS)
    evens = story(stories, ITEMS, "fn next(&mut self) -> Option<u32>", "E0053")
    steps = story(stories, ITEMS, "fn nth(&mut self, n: u32)", "E0053")
    assert names(evens) == ["match the trait", "change the associated type"]
    change = next(o for o in evens.options if o.name == "change the associated type")
    assert "from `u64` to `u32`" in change.how
    # `usize` is the Item, but the difference is the argument's type: the Item is no way out there
    assert "change the associated type" not in names(steps)
