"""Options keyed on the operator and the type in front of them, not on the error code's template.
Real cargo on small library crates written here.

- `-` on an unsigned integer (E0600): `Option` for a "no value" sentinel, a signed type, or a
  deliberate checked/wrapping negation; never "use a predicate" (that is `!`) nor "implement `Neg`"
  for a std type the crate cannot implement it for;
- `!` on the crate's own struct keeps the predicate and may implement `Not`;
- a `str`/`String` indexed by a number (E0277): the characters, the bytes, or a range, never
  "derive" or "relax the bound";
- a capturing closure passed for a `fn` pointer parameter (E0308): the parameter takes `impl Fn`, a
  patch that compiles, and study mode says a closure that captures nothing would coerce.
"""

from __future__ import annotations

import pytest

from engine.explain.validation import validate
from tests.explain.crates import explain_lib, story, story_text
from tests.explain.crates import option_names as names

pytestmark = pytest.mark.slow

UNSIGNED = """pub fn last_slot(slots: &[u8]) -> u32 {
    if slots.is_empty() {
        return -1;
    }
    slots.len() as u32 - 1
}

pub struct Flag {
    pub on: bool,
}

pub fn flip(f: Flag) -> bool {
    let g = !f;
    g.on
}
"""


def test_minus_on_an_unsigned_type_offers_option_and_a_signed_type(tmp_path):
    stories = explain_lib(tmp_path, "unsigned_neg", UNSIGNED)
    e = story(stories, UNSIGNED, "return -1;", "E0600")
    assert names(e) == ['say "nothing" with Option', "use a signed type", "negate on purpose"]
    text = story_text(e)
    assert "`u32`" in text and "checked_neg" in text and "predicate" not in text
    assert "Implement" not in text  # `u32` is std's: no `impl Neg for u32` in this crate


def test_not_on_the_crates_own_struct_keeps_the_predicate_and_the_impl(tmp_path):
    stories = explain_lib(tmp_path, "own_not", UNSIGNED)
    e = story(stories, UNSIGNED, "let g = !f;", "E0600")
    assert names(e) == ["use a predicate", "implement the trait"]
    assert "`std::ops::Not`" in story_text(e)


STR_INDEX = """pub fn initial(name: &str) -> char {
    let c = name[2];
    c
}
"""


def test_a_string_indexed_by_a_number_is_read_by_chars_bytes_or_range(tmp_path):
    e = story(explain_lib(tmp_path, "str_index", STR_INDEX), STR_INDEX, "name[2]", "E0277")
    assert names(e) == ["take the n-th character", "index the bytes", "slice a range of bytes"]
    assert "`.chars().nth()`" in story_text(e) and "UTF-8" in e.invariant
    assert "derive" not in story_text(e).lower()


FN_POINTER = """pub fn each_score(scores: &mut Vec<i64>, op: fn(i64) -> i64) {
    for s in scores.iter_mut() {
        *s = op(*s);
    }
}

pub fn bonus(scores: &mut Vec<i64>, extra: i64) {
    each_score(scores, |s| s + extra);
}

pub fn double(scores: &mut Vec<i64>) {
    each_score(scores, |s| s * 2);
}
"""


def test_a_capturing_closure_for_a_fn_pointer_makes_the_parameter_impl_fn(tmp_path):
    stories = explain_lib(tmp_path, "fn_pointer", FN_POINTER)
    e = story(stories, FN_POINTER, "s + extra", "E0308")
    assert names(e)[0] == "take any closure" and "`impl Fn`" in e.options[0].how
    assert "captures nothing" in e.why and "converts nothing" not in e.why
    checked = validate([e], tmp_path / "fn_pointer").explanations[0]
    fix = checked.fixes[0]
    assert fix.validated == "compiles" and fix.errors_left == 0
    assert fix.shows == ("pub fn each_score(scores: &mut Vec<i64>, op: impl Fn(i64) -> i64) {",)


MISSING_ITEM = """pub struct Countdown {
    pub left: u8,
}

impl Iterator for Countdown {
    fn next(&mut self) -> Option<u8> {
        self.left = self.left.checked_sub(1)?;
        Some(self.left)
    }
}

pub trait Shape {
    fn area(&self) -> f64;
    fn name(&self) -> String;
}

pub struct Square(pub f64);

impl Shape for Square {
    fn area(&self) -> f64 {
        self.0 * self.0
    }
}
"""


def test_a_default_body_is_offered_only_for_the_crates_own_trait(tmp_path):
    stories = explain_lib(tmp_path, "missing_item", MISSING_ITEM)
    std_trait = story(stories, MISSING_ITEM, "impl Iterator for Countdown", "E0046")
    own_trait = story(stories, MISSING_ITEM, "impl Shape for Square", "E0046")
    assert names(std_trait) == ["implement the item"]  # std's `Iterator` cannot be edited
    assert names(own_trait) == ["implement the item", "give the trait a default"]


def _bin_crate(tmp, name: str, files: dict[str, str]):
    root = tmp / name
    for rel, text in files.items():
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_text(text)
    (root / "Cargo.toml").write_text(f'[package]\nname = "{name}"\nversion = "0.1.0"\nedition = "2021"\n')
    return root


def test_a_private_module_on_the_path_is_reexported_or_made_visible(tmp_path):
    from engine.explain.api import explain_report
    from toolbelt.cargo_run import run_check

    root = _bin_crate(
        tmp_path,
        "private_mod",
        {
            "src/main.rs": "mod shop;\nuse shop::till::Register;\n\nfn main() {\n    let _ = Register { total: 0 };\n}\n",
            "src/shop/mod.rs": "mod till;\n",
            "src/shop/till.rs": "pub struct Register {\n    pub total: u64,\n}\n",
        },
    )
    e = next(e for e in explain_report(run_check(root, target_dir=tmp_path / "target")) if e.code == "E0603")
    assert names(e) == ["re-export the item", "make the module visible"]
    assert "`pub use`" in e.options[0].how and "public function that wraps" not in story_text(e)


TYPO = """pub fn total(xs: &[u32]) -> u32 {
    let mut outs = 0;
    for x in xs {
        outs += x;
    }
    out + 0
}
"""


def test_a_keyword_is_never_offered_as_the_name_meant(tmp_path):
    e = story(explain_lib(tmp_path, "typo_kw", TYPO), TYPO, "out + 0", "E0425")
    assert [f.shows for f in e.fixes] == [("    outs + 0",)]  # rustc's `outs`, no "did you mean `mut`"
