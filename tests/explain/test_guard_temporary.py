"""E0515 where the temporary is a lock or cell guard (#14): `self.lines.borrow().last()` returns a
borrow of data the caller's value holds, reached through the `Ref` that `borrow` makes; the guard is
what the function drops when it returns. The mistake guarded: the "builds new content that no input
holds" reading, which rules out returning the guard or taking a closure. Real cargo on a crate
written here (a RefCell log and an RwLock table); pure cases of the guard finder."""

from __future__ import annotations

from engine.syntax.guards import guard_temporary
from tests.explain.crates import explain_lib, option_names, story

SRC = """use std::cell::RefCell;
use std::sync::{Arc, RwLock};

pub struct Log {
    lines: RefCell<Vec<String>>,
}

impl Log {
    pub fn last(&self) -> Option<&String> {
        self.lines.borrow().last()
    }
}

pub fn first_key(table: &Arc<RwLock<Vec<u64>>>) -> Option<&u64> {
    table.read().unwrap().first()
}
"""


def test_the_guard_finder_reads_the_written_type() -> None:
    src = SRC.encode()
    at = src.index(b"self.lines.borrow()")
    assert guard_temporary(src, at, at + len(b"self.lines.borrow()")) == ("Ref", "self.lines", "borrow")
    at = src.index(b"table.read().unwrap()")
    got = guard_temporary(src, at, at + len(b"table.read().unwrap()"))
    assert got == ("RwLockReadGuard", "table", "read")
    plain = b"pub struct S { v: Vec<u8> }\nimpl S { fn f(&self) -> u8 { self.v.borrow() } }\n"
    at = plain.index(b"self.v.borrow()")
    assert guard_temporary(plain, at, at + len(b"self.v.borrow()")) is None  # not a cell: no guard


def test_a_borrow_through_a_guard_is_blamed_on_the_guard(tmp_path) -> None:
    stories = explain_lib(tmp_path, "guarded", SRC)
    for text, guard, place in (
        ("self.lines.borrow().last()", "Ref", "self.lines"),
        ("table.read().unwrap().first()", "RwLockReadGuard", "table"),
    ):
        e = story(stories, SRC, text, "E0515")
        assert "no input holds" not in e.why, e.why
        assert f"it lives in `{place}`" in e.why and f"the {guard} that" in e.why, e.why
        assert "drops\nwhen it returns" in e.why or "drops when it returns" in " ".join(e.why.split()), e.why
        assert option_names(e) == ["return an owned copy", "return the guard", "take a closure"], (
            option_names(e)
        )
