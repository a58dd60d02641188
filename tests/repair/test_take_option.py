"""A move out of an `Option<..>` place behind `&mut` (E0507) gets `.take()` as a tried patch: it
leaves `None` behind and compiles. A move out of a non-`Option` place does not. Real cargo on a crate
written here."""

from __future__ import annotations

from pathlib import Path

from engine.edits import apply_edits
from engine.repair.grammar import grammar_candidates
from tests.explain.crates import write_lib
from toolbelt.cargo_run import run_check

SRC = """pub struct Slot {
    pub job: Option<String>,
    pub name: String,
}

pub fn claim(s: &mut Slot) -> String {
    let job = s.job.unwrap();
    job
}

pub fn rename(s: &mut Slot) -> String {
    s.name
}
"""


def test_a_move_out_of_an_option_behind_mut_is_tried_as_take(tmp_path: Path) -> None:
    root = write_lib(tmp_path, "slots", SRC)
    errors = [d for d in run_check(root, target_dir=tmp_path / "target").diagnostics if d.code_str == "E0507"]
    assert len(errors) == 2

    def read(f: str) -> bytes | None:
        return (root / f).read_bytes() if (root / f).exists() else None

    on_option = next(d for d in errors if "s.job" in d.message)
    on_string = next(d for d in errors if "s.name" in d.message)
    takes = [c for c in grammar_candidates(on_option, read) if c.family == "op:take"]
    assert len(takes) == 1
    assert not [c for c in grammar_candidates(on_string, read) if c.family == "op:take"]
    fixed = apply_edits(SRC.encode(), takes[0].edits).decode()
    assert "let job = s.job.take().unwrap();" in fixed
    (root / "src" / "lib.rs").write_text(fixed.replace("    s.name\n", "    s.name.clone()\n"))
    assert not [d for d in run_check(root, target_dir=tmp_path / "target").diagnostics if d.level == "error"]
