"""A borrow returned on one path (E0499/E0502 with "returning this value requires that `self.slots`
is borrowed for `'1`"): Rusta names the place rustc's label names, `self.slots`, not the message's
`*self`, which is the second borrow's place (#14, review L l02).

Real cargo on a crate written here: a slot table whose `get_or_grow` returns a slot on one path and
calls `&mut self` methods on the other (E0499), and a reader that returns a shared borrow on one
path and grows the table on the other (E0502).
"""

from __future__ import annotations

import pytest

from engine.explain.validation import validate
from modes.rendering import render_text
from tests.explain.crates import explain_lib

pytestmark = pytest.mark.slow

SLOTS = """pub struct Slots {
    slots: Vec<Option<String>>,
    grown: usize,
}

impl Slots {
    fn grow(&mut self, i: usize) {
        self.grown += 1;
        self.slots.resize(i + 1, None);
    }

    fn used(&self) -> usize {
        self.grown
    }

    pub fn get_or_grow(&mut self, i: usize) -> &mut String {
        if let Some(Some(s)) = self.slots.get_mut(i) {
            return s;
        }
        self.grow(i);
        self.slots[i].get_or_insert_with(String::new)
    }

    pub fn peek(&mut self, i: usize) -> &String {
        if let Some(Some(s)) = self.slots.get(i) {
            return s;
        }
        self.grow(i);
        let n = self.used();
        self.slots[i].insert(n.to_string())
    }
}
"""


def test_a_returned_borrow_names_the_place_rustcs_label_names(tmp_path, monkeypatch):
    monkeypatch.setenv("RUSTA_CACHE_DIR", str(tmp_path / "cache"))
    stories = [e for e in explain_lib(tmp_path, "slots", SLOTS) if e.code in ("E0499", "E0502")]
    assert {e.code for e in stories} == {"E0499", "E0502"}, [(e.code, e.message) for e in stories]
    for e in validate(stories, tmp_path / "slots").explanations:
        labels = " ".join(s.label or "" for d in e.diagnostics for s in d.spans)
        assert "returning this value requires that `self.slots` is borrowed" in labels, labels
        said = render_text(e, "pair")
        assert "borrow of `self.slots` is returned from the function" in said, said
        assert "of `*self` is returned" not in said, said
