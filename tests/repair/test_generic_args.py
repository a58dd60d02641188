"""A generic type written with too few arguments (E0107): the missing ones come from another use of
the same type in the crate whose leading arguments agree, never rustc's bare parameter names.
Real cargo on a crate written here; the search itself on plain text."""

from __future__ import annotations

from pathlib import Path

from engine.edits import apply_edits
from engine.repair.generic_args import args_from_other_uses, uses_elsewhere
from tests.explain.crates import write_lib
from toolbelt.cargo_run import run_check

TABLE = """pub struct Table<K, V> {
    rows: Vec<(K, V)>,
}

impl<K, V> Table<K, V> {
    pub fn push(&mut self, k: K, v: V) {
        self.rows.push((k, v));
    }
}

pub fn fill(t: &mut Table<u8>) {
    t.push(1, "one");
}

pub fn make() -> Table<u8, &'static str> {
    let mut t = Table { rows: Vec::new() };
    fill(&mut t);
    t
}
"""


def test_uses_whose_leading_arguments_differ_are_not_taken() -> None:
    text = "fn a(x: Map<u8, Vec<u16>>) {}\nfn b(y: Map<i64, bool>) {}\nimpl<K, V> Map<K, V> {}"
    assert uses_elsewhere("Map", 2, ["u8"], [text]) == [["u8", "Vec<u16>"]]


def test_the_missing_argument_comes_from_the_crates_other_use(tmp_path: Path) -> None:
    root = write_lib(tmp_path, "table", TABLE)
    [d] = [d for d in run_check(root, target_dir=tmp_path / "target").diagnostics if d.code_str == "E0107"]
    source = (root / "src" / "lib.rs").read_bytes()
    [c] = args_from_other_uses(d, lambda _p: source, ("src/lib.rs",))
    patched = apply_edits(source, c.edits).decode()
    assert "pub fn fill(t: &mut Table<u8, &'static str>)" in patched
    (root / "src" / "lib.rs").write_text(patched)
    assert run_check(root, target_dir=tmp_path / "target").status == "clean"
