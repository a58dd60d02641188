"""A way out that changes an item is shown only for the crate's own items: "change the signature" and
"use a builder" for a callee the crate defines, never for a std method (E0061); "add the dependency"
for an import from another crate, never for a `std::`/`core::` path (E0432). Real cargo."""

from __future__ import annotations

import pytest

from tests.explain.crates import explain_lib, option_names, story

pytestmark = pytest.mark.slow

SRC = """use serde_json::Value;
use std::collections::btree_map::Entri;
use core::fmt::Wirte;

pub struct Gauge { pub level: f32 }
impl Gauge {
    pub fn clamp_to(&self, lo: f32, hi: f32) -> f32 { self.level.max(lo).min(hi) }
}

pub fn read(g: &Gauge, word: &str) -> usize {
    let _ = g.clamp_to(0.5);
    word.trim_start(' ').len()
}
"""


def test_changing_an_item_is_offered_only_for_the_crates_own(tmp_path):
    stories = explain_lib(tmp_path, "gauge", SRC)
    own = option_names(story(stories, SRC, "g.clamp_to(0.5)", "E0061"))
    assert "change the signature" in own and "use a builder or Default" in own, own
    std = option_names(story(stories, SRC, "word.trim_start(' ')", "E0061"))
    assert "change the signature" not in std and "use a builder or Default" not in std, std
    other = option_names(story(stories, SRC, "use serde_json::Value", "E0432"))
    assert "add the dependency" in other, other
    for line in ("use std::collections::btree_map::Entri", "use core::fmt::Wirte"):
        assert "add the dependency" not in option_names(story(stories, SRC, line, "E0432")), line
