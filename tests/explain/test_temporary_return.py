"""E0515 where the returned value points into a temporary rustc marks ("temporary value created
here"): the root cause is that temporary; "change the return type to the owned type" is never said
for a type with a lifetime parameter (no owned form), nor `Cow<'_, str>` for a return that is not a
`&str`; an empty `Vec`/`String` made on the spot becomes the constant `&[]`/`""` as a validated
patch, only where the return type takes it. Real cargo on a crate written here."""

from __future__ import annotations

import pytest

from engine.explain.validation import validate
from tests.explain.crates import explain_lib, line_of, option_names, story

pytestmark = pytest.mark.slow

SRC = """use std::collections::BTreeMap;

pub struct Cell<'a> { pub head: &'a str, pub rest: &'a str }

pub fn cell(raw: &str) -> Cell {
    let bits: Vec<&str> = raw.to_ascii_lowercase().split(';').collect();
    Cell { head: bits[0], rest: bits[1] }
}

pub struct Index { pub ids: BTreeMap<u8, Vec<u64>>, pub names: BTreeMap<u8, String>, pub raw: BTreeMap<u8, Vec<u8>> }

impl Index {
    pub fn ids(&self, k: u8) -> &[u64] {
        match self.ids.get(&k) { Some(v) => v, None => &Vec::new() }
    }
    pub fn name(&self, k: u8) -> &str {
        match self.names.get(&k) { Some(n) => n, None => &String::new() }
    }
    pub fn raw(&self, k: u8) -> &Vec<u8> {
        match self.raw.get(&k) { Some(r) => r, None => &Vec::new() }
    }
}

pub fn label(n: u32) -> &'static str {
    let tag = format!("#{n}");
    &tag
}
"""


def test_a_temporary_is_the_root_and_its_way_out_fits_the_return_type(tmp_path):
    stories = explain_lib(tmp_path, "temps", SRC)
    checked = validate(list(stories), tmp_path / "temps").explanations

    borrowing = story(checked, SRC, "Cell { head: bits[0]", "E0515")
    assert borrowing.root_cause.line == line_of(SRC, "raw.to_ascii_lowercase()"), borrowing.root_cause
    names = option_names(borrowing)
    assert "return the owned value" not in names and "return Cow" not in names, names
    assert "own the data" in names

    for text, constant in (("Some(v) => v, None => &Vec::new()", "&[]"), ("&String::new()", '""')):
        e = story(checked, SRC, text, "E0515")
        assert e.root_cause.line == e.primary.line and e.root_cause.column > e.primary.column
        assert "borrow a constant" in option_names(e), option_names(e)
        ok = [
            f for f in e.fixes if f.validated == "compiles" and f"None => {constant} }}" in "".join(f.shows)
        ]
        assert ok, [(f.name, f.validated, f.shows) for f in e.fixes]
    assert "return Cow" not in option_names(story(checked, SRC, "Some(v) => v", "E0515"))  # a `&[u64]`

    vec_ref = story(checked, SRC, "Some(r) => r, None => &Vec::new()", "E0515")
    assert "borrow a constant" not in option_names(vec_ref)  # `&[]` is no `&Vec<u8>`

    local = story(checked, SRC, "&tag", "E0515")
    assert "return the owned value" in option_names(local), option_names(local)
