"""Mistakes seen while exploring dev crates (derefs, borrow kinds, clones, derives), repaired with real cargo."""

from __future__ import annotations

import re

from engine.repair.search import repair
from toolbelt.cargo_run import run_test


def test_derefs_borrow_kinds_clones_and_element_conversions(fixture_crate):
    root = fixture_crate("repair_deref")
    result = repair(root, budget=20)  # ten mistakes, one validation each when all goes well
    assert result.status == "fixed", result.message
    families = {t.candidate.family for t in result.steps}
    assert {
        "deref",
        "deref-at-binding",
        "ref-mut-bound",
        "clone",
        "convert-element",
        "borrow-loop",
    } <= families, families
    text = dict(result.files)["src/lib.rs"].decode()
    assert "unsafe { &mut *self.data.get() }" in text
    assert "let byte = unsafe { *ptr };" in text
    assert "impl FnOnce(&mut fmt::Formatter)" in text
    assert "entries(self.clone())" in text
    assert "for limit in &req.limits {" in text
    assert ".map(|s| s.trim().to_string());" in text  # in the closure both errors come from
    assert "unsafe { (*self.data.get()).first().copied() }" in text
    assert ".map(|(_, prec, assoc)| (*prec, *assoc))" in text
    assert "(version.map(|v| v.to_string()), " in text
    assert result.steps[-1].verdict == "apply-safe"
    for rel, data in result.files:
        (root / rel).write_bytes(data)
    assert run_test(root).status == "passed"


def test_derive_on_a_type_rustc_names_by_its_path(fixture_crate):
    """rustc's own help adds a second `#[derive(PartialEq, PartialOrd)]` (E0119); the template
    adds `PartialOrd` to the derive already there. A use after move of a crate type that is
    `Clone` but lost `Copy` (adler seed 79) gets `Copy` back once a clone at the move fails."""
    root = fixture_crate("repair_derive_path")
    result = repair(root, budget=8)
    assert result.status == "fixed", result.message
    assert result.steps[0].candidate.family == "derive"
    assert result.steps[-1].candidate.family == "derive"  # E0382 on a crate type: its lost `Copy`
    text = dict(result.files)["src/lib.rs"].decode()
    assert (
        "#[derive(PartialEq, Eq, Copy, Clone, PartialOrd, Ord)]" in text
    )  # PartialOrd before Ord: Rust's convention
    assert "#[derive(Copy, Clone)]\npub struct Step" in text  # the order the crate's other derive keeps
    assert result.steps[-1].verdict == "apply-safe"


def test_a_lost_root_use_is_restored_at_the_root_not_in_every_importer(fixture_crate):
    root = fixture_crate("repair_root_use")
    result = repair(root, budget=6)
    assert result.status == "fixed", result.message
    assert {f for f, _ in result.files} == {"src/lib.rs"}
    assert re.search(r"^use (?:core|std)::sync::atomic;$", dict(result.files)["src/lib.rs"].decode(), re.M)
    assert result.steps[-1].verdict == "apply-safe"


def test_dev_gym_mistakes_rustc_has_no_suggestion_for(fixture_crate):
    """A closure body ending in a stray `;` (E0271: returns `()` where `bool` was wanted), `.into()`
    to a type that converts from `String` only, and a `match` on an `Option` local whose other uses
    want the inner value too (the `?` goes where it is bound, not on the scrutinee), and `fn m(self)`
    passing `self` where `&Self` is wanted: rustc's `&self` at the use leaves the tests' second call
    a use after move; the receiver takes the `&`. A signature's `(char, str)` that lost its `&`
    (E0277 unsized `str`, reported at the caller's pattern) gets it back in the signature."""
    root = fixture_crate("repair_gym41")
    result = repair(root, budget=12)
    assert result.status == "fixed", result.message
    families = {t.candidate.family for t in result.steps}
    assert {
        "remove-semicolon",
        "convert",
        "question-mark-at-binding",
        "ref-self",
        "borrow-type",
    } <= families, families
    text = dict(result.files)["src/lib.rs"].decode()
    assert "c == 'k' || c == 'M' || c == 'G'\n    })" in text
    assert "let buf: Vec<u8> = token.to_string().into();" in text
    assert "let v = it.next()?;" in text and "match v {" in text
    assert "fn split_sign(s: &str) -> Option<(char, &str)> {" in text
    assert "pub fn contains(&self, x: u32) -> bool {\n        in_span(self, x)" in text
    assert result.steps[-1].verdict == "apply-safe"


def test_a_misspelled_method_is_the_nearest_name_the_file_uses(fixture_crate):
    """And a trait method that lost its `&self` (E0053 on each impl, termcolor seed 79): the `&`
    goes back in the trait, not `self` in every impl as rustc suggests. And `match` arms of types
    `&usize` and `usize` (pest seed 41): the earlier arm gets the `*`, not `&(..)` on the later one. A range of `&usize` (pest seed 41)
    dereferences its bound. A helper that lost `&self`, called from two `&self` methods (E0507
    twice, semver seed 97), gets its `&` back rather than a `.clone()` at each call."""
    root = fixture_crate("repair_method_typo")
    result = repair(root, budget=12)
    assert result.status == "fixed", result.message
    assert sorted(t.candidate.family for t in result.steps) == [
        "deref",
        "deref",
        "ref-self",
        "ref-self",
        "typo",
    ]
    text = dict(result.files)["src/lib.rs"].decode()
    assert "let next = it.next()?;" in text
    assert "Bound::Included(at) => *at," in text
    assert "out.extend(text.get(*pos..));" in text
    assert "fn is_short(&self) -> bool {" in text and ".clone().is_short()" not in text
    assert "    fn width(&self) -> usize;" in text and "fn width(self)" not in text
    assert result.steps[-1].verdict == "apply-safe"
