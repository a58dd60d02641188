"""A closure whose written parameter types disagree with the call (E0631): drop the annotations and
let the call decide. Real cargo on a crate written here; the rewrite itself on plain text."""

from __future__ import annotations

from pathlib import Path

from engine.edits import apply_edits
from engine.repair.closure_params import unannotated_closure, without_annotations
from tests.explain.crates import write_lib
from toolbelt.cargo_run import run_check

NAMES = """pub fn labels(pairs: &[(String, usize)]) -> Vec<String> {
    pairs.iter().map(|(name, n): (String, usize)| format!("{name}={n}")).collect()
}
"""


def test_only_top_level_annotations_go() -> None:
    assert without_annotations("|(a, b): (String, u32), c: &str|") == "|(a, b), c|"
    assert without_annotations("|Point { x: a, y: b }: Point|") == "|Point { x: a, y: b }|"
    assert without_annotations("|p: std::path::PathBuf|") == "|p|"
    assert without_annotations("|a, b|") is None  # nothing written, nothing to drop


def test_the_call_decides_the_types_once_the_annotation_is_gone(tmp_path: Path) -> None:
    root = write_lib(tmp_path, "names", NAMES)
    [d] = [d for d in run_check(root, target_dir=tmp_path / "target").diagnostics if d.code_str == "E0631"]
    source = (root / "src" / "lib.rs").read_bytes()
    [c] = unannotated_closure(d, lambda _p: source)
    patched = apply_edits(source, c.edits).decode()
    assert ".map(|(name, n)| format!" in patched
    (root / "src" / "lib.rs").write_text(patched)
    assert run_check(root, target_dir=tmp_path / "target").status == "clean"
