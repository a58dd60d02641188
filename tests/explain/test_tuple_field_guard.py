"""E0716 on a guard taken through a tuple struct's field names the guard (#14, review C c17).

`self.0.lock().unwrap()` on `struct Shared(Arc<Mutex<Cfg>>)`: the temporary is a `MutexGuard`, read
from the field's written type; the field has a position, not a name, so it was not found and the
story said only "a temporary". Real cargo on a library crate written here (not the reviewer's).
"""

from __future__ import annotations

from pathlib import Path

from engine.syntax.guards import guard_temporary
from tests.explain.crates import explain_lib

COUNTER = """use std::sync::{Arc, Mutex};

pub struct Tags(Arc<Mutex<Vec<String>>>);

impl Tags {
    pub fn first_upper(&self) -> String {
        let first = self.0.lock().unwrap().first().map(|s| s.as_str()).unwrap_or("");
        first.to_uppercase()
    }
}
"""


def test_the_guard_through_a_positional_field_is_named(tmp_path: Path) -> None:
    e = next(e for e in explain_lib(tmp_path, "tags", COUNTER) if e.code == "E0716")
    assert "MutexGuard" in e.why and "`self.0`" in e.why, e.why


def test_a_positional_field_is_read_by_its_index() -> None:
    src = COUNTER.encode()
    at = src.index(b"self.0.lock().unwrap()")
    assert guard_temporary(src, at, at + len(b"self.0.lock().unwrap()")) == ("MutexGuard", "self.0", "lock")
