"""References fit the diagnostic, not only its error code (#14, review A a03, a07, a11).

E0277's entry lists "Appendix C: Derivable Traits" and E0596's "Variables and Mutability"; review A
found the first on a `Send` and a `FromIterator` error (neither trait is derivable) and the second
on a `Fn` closure's capture. Real cargo on a crate written here: the appendix stays for a missing
`Debug`, goes for `Send`; a capture mutated in a `Fn` closure gets the closures chapter.
"""

from __future__ import annotations

import pytest

from tests.explain.crates import explain_lib, story
from toolbelt.sysroot import doc_root

pytestmark = pytest.mark.slow

MIXED = """use std::rc::Rc;

pub struct Point {
    pub x: i32,
}

pub fn show(p: &Point) -> String {
    format!("{:?}", p)
}

pub fn spawn_count(n: Rc<u32>) -> u32 {
    std::thread::spawn(move || *n).join().unwrap()
}

pub fn call<F: Fn()>(f: F) {
    f();
}

pub fn bump() -> u32 {
    let mut k = 0;
    call(|| k += 1);
    k
}
"""


def _titles(e) -> list[str]:
    return [r.title for r in e.references]


def test_references_follow_the_trait_and_the_capture(tmp_path) -> None:
    stories = explain_lib(tmp_path, "mixed", MIXED)
    sent = story(stories, MIXED, "std::thread::spawn(move || *n)", "E0277")
    assert not any("Derivable" in t for t in _titles(sent)), _titles(sent)
    debug = story(stories, MIXED, 'format!("{:?}", p)', "E0277")
    captured = next(e for e in stories if e.code in ("E0594", "E0596"))
    assert not any("Variables and Mutability" in t for t in _titles(captured)), _titles(captured)
    if doc_root() is not None:  # the book is installed: the fitting chapters are there
        assert any("Derivable" in t for t in _titles(debug)), _titles(debug)
        assert "The Rust Book, 13.1 Closures" in _titles(captured), _titles(captured)
