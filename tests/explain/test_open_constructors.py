"""A fix that adds a public constructor setting private fields from its parameters says what it
opens: any caller builds the value with any field values, past the checks of the type's methods
(`engine.explain.open_constructors`; real cargo on a crate written here)."""

from __future__ import annotations

from pathlib import Path

import pytest

from engine.explain.open_constructors import opened
from engine.explain.validation import validate
from tests.explain.crates import explain_lib

# a meter whose `advance` asserts its step, built with a struct literal outside its module (E0451)
METER = """pub mod gauge {
    pub struct Meter {
        pub label: String,
        reading: u32,
    }

    impl Meter {
        pub fn zeroed(label: &str) -> Self {
            Meter { label: label.to_string(), reading: 0 }
        }
        pub fn advance(&mut self, by: u32) {
            assert!(by <= 100, "one step is at most 100");
            self.reading += by;
        }
        pub fn reading(&self) -> u32 {
            self.reading
        }
    }
}

pub fn preset(label: &str, at: u32) -> gauge::Meter {
    gauge::Meter { label: label.to_string(), reading: at }
}
"""

QUEUE = b"""pub struct Queue {
    items: Vec<u8>,
    cap: usize,
}

impl Queue {
    pub fn push(&mut self, b: u8) -> Result<(), u8> {
        if self.items.len() == self.cap {
            return Err(b);
        }
        self.items.push(b);
        Ok(())
    }
}
"""


def test_a_new_public_constructor_of_private_fields_is_named() -> None:
    opened_up = QUEUE.replace(
        b"impl Queue {\n",
        b"impl Queue {\n    pub fn new(items: Vec<u8>, cap: usize) -> Self {\n        Queue { items, cap }\n    }\n",
    )
    said = opened(QUEUE, opened_up)
    assert said == [
        "adds `pub fn new`: any caller can now build a `Queue` with any `items` and `cap`, past the checks of `push`"
    ], said
    # a constructor that checks its arguments, a private one, or one setting no private field opens nothing
    checked = QUEUE.replace(
        b"impl Queue {\n",
        b"impl Queue {\n    pub fn new(cap: usize) -> Self {\n        assert!(cap > 0);\n"
        b"        Queue { items: Vec::new(), cap }\n    }\n",
    )
    private = opened_up.replace(b"pub fn new", b"fn new")
    literal = QUEUE.replace(
        b"impl Queue {\n",
        b"impl Queue {\n    pub fn empty() -> Self {\n        Queue { items: Vec::new(), cap: 4 }\n    }\n",
    )
    assert opened(QUEUE, checked) == opened(QUEUE, private) == opened(QUEUE, literal) == []


@pytest.mark.slow
def test_a_checked_fix_adding_a_constructor_says_what_it_opens(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setenv("RUSTA_CACHE_DIR", str(tmp_path / "cache"))
    stories = explain_lib(tmp_path, "meter", METER)
    run = validate(list(stories), tmp_path / "meter")
    fixes = [f for e in run.explanations for f in e.fixes if any("pub fn new(" in s for s in f.shows)]
    assert fixes, [(f.name, f.shows) for e in run.explanations for f in e.fixes]
    f = fixes[0]
    assert f.validated == "compiles", (f.validated, f.fails_because)
    assert "any caller can now build a `Meter` with any `reading`, past the checks of `advance`" in f.cost, (
        f.cost
    )
