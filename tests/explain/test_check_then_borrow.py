"""A borrow returned from one branch of `if let Some(v) = map.get(k)`, then the map changed, gets
`if map.contains_key(k) { let v = &map[k]; .. }`, validated (#14, review A a02: the way out was
described, "check, then borrow", but no code was made). Real cargo on a crate written here: a
`BTreeMap<u32, Vec<u8>>` cache keyed by `&id` gets the fix (compiles, its test passes); the same
shape over a `Vec` (no `contains_key`) gets none."""

from __future__ import annotations

import pytest

from engine.explain.validation import validate
from engine.repair.check_then_borrow import checked_lookup
from tests.explain.crates import errors_of, explain_lib, write_lib

pytestmark = pytest.mark.slow

BLOBS = """use std::collections::BTreeMap;

pub struct Blobs {
    cache: BTreeMap<u32, Vec<u8>>,
    loads: u32,
}

impl Blobs {
    pub fn new() -> Self {
        Blobs { cache: BTreeMap::new(), loads: 0 }
    }

    pub fn load(&mut self, id: u32) -> &Vec<u8> {
        if let Some(b) = self.cache.get(&id) {
            return b;
        }
        self.loads += 1;
        self.cache.insert(id, vec![id as u8; 3]);
        self.cache.get(&id).unwrap()
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn loads_once() {
        let mut b = super::Blobs::new();
        assert_eq!(b.load(7), &vec![7, 7, 7]);
        assert_eq!(b.load(7).len(), 3);
        assert_eq!(b.loads, 1);
    }
}
"""

ROWS = """pub fn first_or_push(rows: &mut Vec<String>) -> &String {
    if let Some(r) = rows.first() {
        return r;
    }
    rows.push(String::from("x"));
    &rows[0]
}
"""


def test_a_map_lookup_checks_then_borrows(tmp_path) -> None:
    (e,) = validate(list(explain_lib(tmp_path, "blobs", BLOBS)), tmp_path / "blobs").explanations
    fix = next(f for f in e.fixes if any("contains_key(&id)" in ln for ln in f.shows))
    assert fix.validated == "compiles", fix.fails_because
    assert fix.tests_run == "passed", fix
    assert "        if self.cache.contains_key(&id) {" in fix.shows, fix.shows
    assert "            let b = &self.cache[&id];" in fix.shows, fix.shows


def test_a_vec_lookup_gets_no_contains_key(tmp_path) -> None:
    root = write_lib(tmp_path, "rows", ROWS)
    errs = [d for d in errors_of(root, tmp_path) if d.code_str in ("E0502", "E0499")]
    assert errs, errors_of(root, tmp_path)
    assert all(checked_lookup(d, lambda rel: (root / rel).read_bytes()) == [] for d in errs)
