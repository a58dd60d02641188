"""A `while let`/`if let` that binds a reference only to read a `Copy` item (`Some(b)` from
`it.peek()`, then `it.next()` in the body) gets `Some(&b)`, the item copied out so the borrow ends
with the condition, and each `*b` in the body becomes `b` (#14, review E top-5 #5, e01).

Real cargo on crates written here: over `u8` items the fix compiles and the crate's test passes;
over `String` items the copy would be a move, so the sandbox refuses it and it is not shown.
"""

from __future__ import annotations

import pytest

from engine.explain.validation import validate
from engine.repair.peek_copy import copied_peek
from tests.explain.crates import errors_of, explain_lib

pytestmark = pytest.mark.slow

# digits then a unit letter: the peeked byte is read after `bytes.next()`
BYTES = """pub fn parse_size(text: &str) -> u64 {
    let mut n = 0u64;
    let mut bytes = text.bytes().peekable();
    while let Some(b) = bytes.peek() {
        if b.is_ascii_digit() {
            bytes.next();
            n = n * 10 + u64::from(*b - b'0');
        } else {
            break;
        }
    }
    n
}

#[cfg(test)]
mod tests {
    #[test]
    fn digits() {
        assert_eq!(super::parse_size("42k"), 42);
    }
}
"""

# the same shape over owned strings: `Some(&w)` would move a `String` out of the reference
WORDS = """pub fn longest_run(words: Vec<String>) -> usize {
    let mut it = words.into_iter().peekable();
    let mut n = 0;
    while let Some(w) = it.peek() {
        it.next();
        n += w.len();
    }
    n
}
"""


def test_a_copy_item_is_copied_out_of_the_peeked_reference(tmp_path) -> None:
    (e,) = validate(list(explain_lib(tmp_path, "bytes", BYTES)), tmp_path / "bytes").explanations
    assert e.code == "E0499", e.code
    fix = next(o for o in e.fixes if "    while let Some(&b) = bytes.peek() {" in o.shows)
    assert fix.validated == "compiles", fix.fails_because
    assert fix.tests_run == "passed", fix
    assert "            n = n * 10 + u64::from(b - b'0');" in fix.shows, fix.shows


def test_an_owned_item_gets_no_copy(tmp_path) -> None:
    (e,) = validate(list(explain_lib(tmp_path, "words", WORDS)), tmp_path / "words").explanations
    assert e.code == "E0499", e.code
    assert not any("Some(&w)" in line for o in e.fixes for line in o.shows), [o.shows for o in e.fixes]
    # the template did propose it: the sandbox is what refused the move out of the reference
    root = tmp_path / "words"
    (d,) = errors_of(root, tmp_path)
    (cand,) = copied_peek(d, lambda rel: (root / rel).read_bytes())
    assert cand.edits[0].replacement == "&", cand


# lookups in fields whose written types tell the item: a `u32` copies out, a `String` would move
STOCK = """use std::collections::HashMap;

pub struct Stock {
    levels: HashMap<String, u32>,
    names: HashMap<u32, String>,
}

impl Stock {
    pub fn bump(&mut self, k: &str) -> u32 {
        if let Some(n) = self.levels.get(k) {
            self.levels.insert(k.to_string(), *n + 1);
            return *n + 1;
        }
        0
    }

    pub fn rename(&mut self, id: u32) -> usize {
        if let Some(name) = self.names.get(&id) {
            self.names.insert(id + 1, String::new());
            return name.len();
        }
        0
    }
}
"""


def test_a_written_item_type_decides_whether_the_copy_is_offered(tmp_path) -> None:
    """The general mistake (review A a02): "copy the item out of the reference" offered for a
    `String` item. The field's written `HashMap<u32, String>` says the item is not `Copy`: no
    candidate at all; its `HashMap<String, u32>` twin says it is, and the name says what is copied."""
    from tests.explain.crates import write_lib

    root = write_lib(tmp_path, "stock", STOCK)
    errs = [d for d in errors_of(root, tmp_path) if d.code_str == "E0502"]
    assert len(errs) == 2, errs
    by_line = {d.primary.line_start: d for d in errs if d.primary is not None}
    read = lambda rel: (root / rel).read_bytes()  # noqa: E731
    bump = by_line[min(by_line)]
    (cand,) = copied_peek(bump, read)
    assert "copy the `u32` out of the reference" in cand.description, cand.description
    assert copied_peek(by_line[max(by_line)], read) == []
