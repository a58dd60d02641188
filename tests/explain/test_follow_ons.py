"""Errors that follow from another story's mistake, found by validation on real cargo: a private method
called from outside its module (E0624) leaves rustc unable to type the call, and it reports
`str: Sized` (E0277) at the match on its result; making the method `pub` clears both."""

from __future__ import annotations

import pytest

from engine.explain.validation import validate
from tests.explain.crates import explain_lib

pytestmark = pytest.mark.slow

PRIVATE_METHOD = """mod library {
    pub struct Shelf {
        books: Vec<String>,
    }

    impl Shelf {
        pub fn new() -> Shelf {
            Shelf { books: Vec::new() }
        }

        fn lend(&mut self, title: &str) -> Result<(), String> {
            match self.books.iter().position(|b| b == title) {
                Some(i) => {
                    self.books.remove(i);
                    Ok(())
                }
                None => Err(format!("no copy of {title}")),
            }
        }
    }

    pub fn warn(line: &str) {
        eprintln!("{line}");
    }
}

pub fn borrow_one() {
    let mut shelf = library::Shelf::new();
    match shelf.lend("Dune") {
        Ok(()) => {}
        Err(why) => library::warn(&why),
    }
}
"""

# two mistakes that do not depend on each other: fixing one clears nothing else
TWO_MISTAKES = """mod inner {
    pub struct Dial;

    impl Dial {
        fn secret(&self) -> u8 {
            7
        }
    }
}

pub fn both() -> String {
    let dial = inner::Dial;
    let label: String = "dial";
    format!("{label}{}", dial.secret())
}
"""


def test_a_fix_that_clears_another_storys_errors_names_it(tmp_path):
    stories = explain_lib(tmp_path, "shelf", PRIVATE_METHOD)
    codes = [e.code for e in stories]
    assert codes[0] == "E0624" and "E0277" in codes[1:]
    run = validate(stories, tmp_path / "shelf")
    lead = run.explanations[0].fixes[0]
    assert lead.shows == ("        pub fn lend(&mut self, title: &str) -> Result<(), String> {",)
    assert lead.validated == "compiles"
    follows = codes.index("E0277")
    assert lead.clears == (follows,)
    assert f"it clears #{follows + 1} too, whose errors follow from this one" in lead.state_words


def test_independent_errors_are_not_told_as_following(tmp_path):
    stories = explain_lib(tmp_path, "two", TWO_MISTAKES)
    run = validate(stories, tmp_path / "two")
    fixed = [o for e in run.explanations for o in e.fixes if o.validated in ("compiles", "uncovers")]
    assert {e.code for e in run.explanations} == {"E0624", "E0308"}
    assert len({o.file + str(o.line) for o in fixed}) == 2  # each story has a fix that works for it
    assert all(o.clears == () for o in fixed)
    assert all("follow from" not in o.state_words for o in fixed)


# one misspelt field in a struct pattern: E0026 (no such field) and E0027 (a field not mentioned)
MISSPELT_FIELD = """pub enum Tile {
    Wall { hp: u32 },
    Floor,
}

pub fn hit(t: Tile) -> Tile {
    match t {
        Tile::Wall { health: 1 } => Tile::Floor,
        Tile::Wall { hp } => Tile::Wall { hp: hp - 1 },
        Tile::Floor => Tile::Floor,
    }
}
"""


def test_a_misspelt_pattern_field_is_one_story_led_by_the_rename(tmp_path):
    stories = explain_lib(tmp_path, "shapes", MISSPELT_FIELD)
    (e,) = stories
    assert e.code == "E0026" and [d.code_str for d in e.diagnostics] == ["E0026", "E0027"]
    run = validate(stories, tmp_path / "shapes")
    shown = [ln for o in run.explanations[0].fixes for ln in o.shows]
    assert shown == ["        Tile::Wall { hp: 1 } => Tile::Floor,"]  # E0027's patches keep `health`
