"""E0502 on two elements of one vector, used together, is told as such (#14, review C c13).

rustc's help names split_at_mut: a `&` to one element and a `&mut` to another of one Vec, needed at
once. The story offered "reorder" and "keep an index", which cannot work when both are used
together; the ways out are splitting the slice or copying the element that is only read. Real cargo
on a library crate written here (not the reviewer's crate).
"""

from __future__ import annotations

from pathlib import Path

from tests.explain.crates import explain_lib

LEDGER = """pub struct Ledger {
    pub accounts: Vec<Vec<i64>>,
}

impl Ledger {
    /// Adds each entry of account `from` onto the same entry of account `to`.
    pub fn merge(&mut self, to: usize, from: usize) {
        let src = &self.accounts[from];
        for (t, s) in self.accounts[to].iter_mut().zip(src) {
            *t += *s;
        }
    }
}
"""


def test_two_elements_used_together_get_split_or_copy_not_reorder(tmp_path: Path) -> None:
    e = next(e for e in explain_lib(tmp_path, "ledger", LEDGER) if e.code == "E0502")
    names = [o.name for o in e.options]
    assert "split the slice" in names and "copy the element that is only read" in names, names
    assert "reorder" not in names and "keep an index" not in names, names
    assert "cannot prove the two indexes differ" in e.summary, e.summary
