"""A small fact read after the value moved (E0382 `names.len()` after `for n in names`): read it
before the move, no clone. Real cargo on a crate written here."""

from __future__ import annotations

from pathlib import Path

from engine.edits import apply_edits
from engine.repair.read_before_move import read_before_move
from tests.explain.crates import write_lib
from toolbelt.cargo_run import run_check

SHOUT = """pub fn shout(names: Vec<String>) -> (Vec<String>, usize) {
    let mut upper = Vec::new();
    for n in names {
        upper.push(n.to_uppercase());
    }
    let count = names.len();
    (upper, count)
}
"""

# `take()` empties the `Option` it reads: reading it earlier changes what the loop gets
TAKEN = """pub fn drain(mut slot: Option<String>) -> usize {
    let n = slot.iter().count();
    for s in slot {
        println!("{s}");
    }
    slot.take().map(|s| s.len()).unwrap_or(n)
}
"""


def _patched(tmp: Path, name: str, src: str) -> tuple[Path, str]:
    root = write_lib(tmp, name, src)
    [d] = [d for d in run_check(root, target_dir=tmp / "target").diagnostics if d.code_str == "E0382"]
    source = (root / "src" / "lib.rs").read_bytes()
    [c] = read_before_move(d, lambda _p: source)
    patched = apply_edits(source, c.edits).decode()
    (root / "src" / "lib.rs").write_text(patched)
    return root, patched


def test_the_length_is_read_before_the_loop_takes_the_vector(tmp_path: Path) -> None:
    root, patched = _patched(tmp_path, "shout", SHOUT)
    assert "    let names_len = names.len();\n    for n in names {" in patched
    assert "let count = names_len;" in patched
    assert run_check(root, target_dir=tmp_path / "target").status == "clean"


def test_a_call_that_may_change_the_value_is_never_moved_earlier(tmp_path: Path) -> None:
    root = write_lib(tmp_path, "taken", TAKEN)
    [d] = [d for d in run_check(root, target_dir=tmp_path / "target").diagnostics if d.code_str == "E0382"]
    source = (root / "src" / "lib.rs").read_bytes()
    assert read_before_move(d, lambda _p: source) == []
