"""Conversions as a reviewer writes them: `s.clone()`, not `s.as_str().to_string()`. The rewrite on
plain text, and once through real cargo."""

from __future__ import annotations

from pathlib import Path

from engine.edits import apply_edits
from engine.repair.idioms import owning_idiom
from engine.repair.registry import template_candidates
from tests.explain.crates import write_lib
from toolbelt.cargo_run import run_check

CITIES = """pub struct Row {
    pub city: String,
}

pub fn cities(rows: &[Row]) -> Vec<String> {
    rows.iter().map(|r| r.city.as_str()).collect()
}
"""


def test_machine_shaped_conversions_become_the_idiom() -> None:
    assert owning_idiom("*item", ".clone()") is None  # keeps rustc asking for a missing `Clone`
    assert owning_idiom("r.city.as_str()", ".to_string()") == "r.city.clone()"
    assert owning_idiom("r.city.as_str()", ".clone()") is None  # a `&str` clone is another thing
    assert owning_idiom("f(x).as_str()", ".to_owned()") is None  # a call's temporary: leave it
    assert owning_idiom("*a + b", ".clone()") is None


def test_a_map_body_that_borrows_a_string_to_copy_it_clones_it(tmp_path: Path) -> None:
    root = write_lib(tmp_path, "cities", CITIES)
    [d] = [d for d in run_check(root, target_dir=tmp_path / "target").diagnostics if d.code_str == "E0277"]
    source = (root / "src" / "lib.rs").read_bytes()
    cands = template_candidates(d, lambda _p: source, ("src/lib.rs",))
    [c] = [c for c in cands if any(e.replacement == "r.city.clone()" for e in c.edits)]
    (root / "src" / "lib.rs").write_bytes(apply_edits(source, c.edits))
    assert run_check(root, target_dir=tmp_path / "target").status == "clean"
    assert not any("as_str().to_string()" in e.replacement for c in cands for e in c.edits)
