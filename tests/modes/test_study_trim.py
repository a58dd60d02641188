"""Study mode says each thing once and on the point: references on one line, none about a type the
story never meets (the Book's Vectors chapter in a `HashMap` story), no `rustc --explain` command
under its own quoted passage, no facts line that counts the diagnostics listed below it, and the
invariant only when the why does not already say it. Real cargo on crates written here."""

from __future__ import annotations

import msgspec
import pytest

from engine.explain.references import explain_passage, explain_text
from modes.rendering import lines_for
from modes.study import why_text
from modes.studytrim import passage_restates, states_invariant
from tests.explain.crates import explain_lib

pytestmark = pytest.mark.slow

MAP_BORROW = """use std::collections::HashMap;

pub fn bump(counts: &mut HashMap<String, u32>, key: &str) -> u32 {
    let first = counts.get(key);
    counts.insert(key.to_string(), 1);
    *first.unwrap_or(&0)
}
"""

TWICE = """pub fn f() -> u32 {
    let a = missing_one + 1;
    let b = missing_one * 2;
    a + b
}
"""


def _study(tmp_path, name: str, src: str) -> list[str]:
    """Study's lines, with rustc --explain's passage as the CLI loads it."""
    stories = explain_lib(tmp_path, name, src)
    assert stories
    stories = [
        msgspec.structs.replace(e, explain_text=explain_passage(explain_text(e.code))) for e in stories
    ]
    return [ln.text for e in stories for ln in lines_for(e, "study")]


def test_a_map_story_has_no_vectors_chapter_and_references_fit_one_line(tmp_path) -> None:
    text = _study(tmp_path, "map_borrow", MAP_BORROW)
    assert any("E0502" in t for t in text), text
    refs = [t for t in text if t.startswith("References")]
    assert len(refs) == 1 and "References and Borrowing" in refs[0], refs
    assert "Vectors" not in "\n".join(text)
    assert "`rustc --explain E0502` says:" in text
    assert "rustc --explain E0502;" not in refs[0] and not refs[0].endswith("rustc --explain E0502")


def test_a_grouped_story_does_not_count_what_it_lists(tmp_path) -> None:
    text = _study(tmp_path, "twice", TWICE)
    assert any(t.startswith("One story, 2 diagnostics") for t in text), text
    assert not any("diagnostics to this root cause" in t for t in text), text
    assert not any(
        t == "Facts" and (i + 1 == len(text) or not text[i + 1].startswith("  - "))
        for i, t in enumerate(text)
    )


def test_the_invariant_goes_only_when_the_why_says_it(tmp_path) -> None:
    stories = explain_lib(tmp_path, "map_borrow2", MAP_BORROW)
    for e in stories:
        text = [ln.text for ln in lines_for(e, "study")]
        assert ("Invariant" in text) == (bool(e.invariant) and not states_invariant(e.invariant, why_text(e)))
    assert states_invariant(
        "A value cannot be mutated while borrowed.", "No value can be mutated while it is borrowed here."
    )
    assert not states_invariant("Trait objects need a vtable.", "The method is generic.")


HEADLINE_AND_PROSE = """pub fn call_twice<F: Fn() -> usize>(f: F) -> usize {
    f() + f()
}

pub fn lengths() -> usize {
    let names = vec![String::from("ada")];
    let total = move || {
        let mine = names;
        mine.len()
    };
    call_twice(total)
}

pub fn sign(n: Option<i64>) -> i64 {
    match n {
        Some(v) if v < 0 => -1,
        None => 0,
    }
}
"""


def test_the_error_index_headline_is_not_quoted_under_a_story_that_says_it(tmp_path) -> None:
    """E0525's passage is one sentence the story already tells ("A closure was used but didn't
    implement the expected trait."): it goes, and the command stays among the references. E0004's
    passage explains more than rustc's line, and is quoted."""
    stories = explain_lib(tmp_path, "headline", HEADLINE_AND_PROSE)
    stories = tuple(
        msgspec.structs.replace(e, explain_text=explain_passage(explain_text(e.code))) for e in stories
    )
    by_code = {e.code: e for e in stories}
    assert {"E0525", "E0004"} <= set(by_code), sorted(by_code)
    closure = "\n".join(ln.text for ln in lines_for(by_code["E0525"], "study"))
    assert passage_restates(by_code["E0525"])
    assert "`rustc --explain E0525` says:" not in closure
    assert "didn't implement the expected trait" not in closure
    refs = [t for t in closure.splitlines() if t.startswith("References")]
    assert refs and "rustc --explain E0525" in refs[0], refs
    matched = "\n".join(ln.text for ln in lines_for(by_code["E0004"], "study"))
    assert not passage_restates(by_code["E0004"])
    assert "`rustc --explain E0004` says:" in matched
