"""Indexing a crate type without `Index` (E0608) where the type has an accessor taking those
indices: the index expression becomes the call. Real cargo on a crate written here."""

from __future__ import annotations

from pathlib import Path

from engine.edits import apply_edits
from engine.repair.index_method import index_by_method
from tests.explain.crates import write_lib
from toolbelt.cargo_run import run_check

BOARD = """pub struct Board {
    cells: Vec<u8>,
    width: usize,
}

impl Board {
    pub fn new(width: usize) -> Self {
        Board { cells: vec![0; width * width], width }
    }
    pub fn width(&self) -> usize {
        self.width
    }
    pub fn cell(&self, x: usize, y: usize) -> u8 {
        self.cells[y * self.width + x]
    }
}

pub fn corners(b: &Board) -> u32 {
    let w = b.width() - 1;
    b[0][0] as u32 + b[(w, w)] as u32
}
"""


def test_each_indexing_becomes_the_accessor_with_as_many_parameters(tmp_path: Path) -> None:
    root = write_lib(tmp_path, "board", BOARD)
    diags = [d for d in run_check(root, target_dir=tmp_path / "target").diagnostics if d.code_str == "E0608"]
    source = (root / "src" / "lib.rs").read_bytes()
    cands = [c for d in diags for c in index_by_method(d, lambda _p: source, ("src/lib.rs",))]
    assert len(cands) == 2  # `cell` only: `width` takes no index, `new` no `&self`
    patched = apply_edits(source, tuple(e for c in cands for e in c.edits)).decode()
    assert "b.cell(0, 0) as u32 + b.cell(w, w) as u32" in patched
    (root / "src" / "lib.rs").write_text(patched)
    assert run_check(root, target_dir=tmp_path / "target").status == "clean"
