"""A loop that moves a collection out of `&self` to take one field of each element is finished as
a borrow of the collection plus a clone of that field, ranked before a clone of the whole
collection (#14, review A a19).

The general mistakes: the chain took rustc's "consider cloning" for the moved field as the story's
own clone again (the same words, but about another place: `b.author`, not `self.books`), so it
stopped after `&self.books`; and of two compiling clones the one that copies every element went
first. Real cargo on a crate written here.
"""

from __future__ import annotations

import pytest

from engine.explain.validation import validate
from tests.explain.crates import explain_lib

pytestmark = pytest.mark.slow

SHELF = """pub struct Book {
    pub author: String,
    pub year: u16,
}

pub struct Shelf {
    books: Vec<Book>,
}

impl Shelf {
    pub fn new(books: Vec<Book>) -> Self {
        Shelf { books }
    }

    pub fn authors_before(&self, year: u16) -> Vec<String> {
        let mut out = Vec::new();
        for b in self.books {
            if b.year < year {
                out.push(b.author);
            }
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn old_ones() {
        let s = Shelf::new(vec![Book { author: "Austen".into(), year: 1813 }, Book { author: "Le Guin".into(), year: 1969 }]);
        assert_eq!(s.authors_before(1900), vec!["Austen".to_string()]);
        assert_eq!(s.authors_before(2000).len(), 2);
    }
}
"""


def test_the_borrowed_loop_with_a_field_clone_leads(tmp_path) -> None:
    (e,) = [s for s in validate(list(explain_lib(tmp_path, "shelf", SHELF)), tmp_path / "shelf").explanations]
    ok = [f for f in e.fixes if f.validated == "compiles"]
    lead = ok[0]
    assert "        for b in &self.books {" in lead.shows, [f.shows for f in ok]
    assert "                out.push(b.author.clone());" in lead.shows, lead.shows
    assert lead.tests_run == "passed", lead
    whole = [f for f in ok if any("self.books.clone()" in ln for ln in f.shows)]
    assert all(ok.index(f) > 0 for f in whole), [f.shows for f in ok]
