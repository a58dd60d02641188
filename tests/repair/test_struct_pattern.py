"""A struct variant matched with tuple syntax (E0164): the user's sub-patterns paired with the field
names rustc lists, in declaration order. Real cargo on a crate written here."""

from __future__ import annotations

from pathlib import Path

from engine.edits import apply_edits
from engine.repair.struct_pattern import named_fields_pattern
from tests.explain.crates import write_lib
from toolbelt.cargo_run import run_check

SHAPES = """pub enum Shape {
    Rect { width: f64, height: f64 },
    Circle { radius: f64 },
}

pub fn area(s: &Shape) -> f64 {
    match s {
        Shape::Rect(w, height) => w * height,
        Shape::Circle(r) => 3.14 * r * r,
    }
}
"""


def test_tuple_patterns_of_struct_variants_become_named_fields_that_keep_the_bindings(tmp_path: Path) -> None:
    root = write_lib(tmp_path, "shapes", SHAPES)
    diags = [d for d in run_check(root, target_dir=tmp_path / "target").diagnostics if d.code_str == "E0164"]
    assert len(diags) == 2
    source = (root / "src" / "lib.rs").read_bytes()
    edits = [e for d in diags for c in named_fields_pattern(d, lambda _p: source) for e in c.edits]
    patched = apply_edits(source, tuple(edits)).decode()
    assert "Shape::Rect { width: w, height } => w * height" in patched  # shorthand where names agree
    assert "Shape::Circle { radius: r } => 3.14 * r * r" in patched
    (root / "src" / "lib.rs").write_text(patched)
    assert run_check(root, target_dir=tmp_path / "target").status == "clean"
