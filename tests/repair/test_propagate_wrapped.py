"""An `Option` where its inside is wanted, in a fn returning `Result`: the fix propagates with the
`.ok_or(E)?` the same fn already uses, with this call's arguments, and ranks above rustc's
`.expect("REASON")`. Real cargo on a crate written here."""

from __future__ import annotations

from pathlib import Path

from engine.edits import apply_edits
from engine.explain.validation import validate
from engine.repair.okor import propagate_wrapped
from tests.explain.crates import explain_lib, story, write_lib
from toolbelt.cargo_run import run_check

SRC = """use std::collections::HashMap;

#[derive(Debug)]
pub enum ShelfError {
    Missing(String),
}

pub struct Book {
    pub copies: u32,
}

impl Book {
    pub fn lend(&mut self) {
        self.copies -= 1;
    }
    pub fn give_back(&mut self) {
        self.copies += 1;
    }
}

pub fn swap_loan(shelf: &mut HashMap<String, Book>, out: &str, back: &str) -> Result<(), ShelfError> {
    shelf
        .get_mut(out)
        .ok_or(ShelfError::Missing(out.to_string()))?
        .lend();
    shelf.get_mut(back).give_back();
    Ok(())
}
"""


def test_an_option_receiver_propagates_with_the_error_used_nearby(tmp_path: Path) -> None:
    root = write_lib(tmp_path, "shelf", SRC)
    (d,) = [d for d in run_check(root, target_dir=tmp_path / "target").diagnostics if d.code_str == "E0599"]

    def read(f: str) -> bytes | None:
        return (root / f).read_bytes() if (root / f).exists() else None

    (c,) = propagate_wrapped(d, read)
    fixed = apply_edits(SRC.encode(), c.edits).decode()
    assert "shelf.get_mut(back).ok_or(ShelfError::Missing(back.to_string()))?.give_back();" in fixed
    (root / "src" / "lib.rs").write_text(fixed)
    assert not [d for d in run_check(root, target_dir=tmp_path / "target").diagnostics if d.level == "error"]


def test_the_propagating_fix_ranks_above_rustcs_placeholder(tmp_path: Path) -> None:
    e = story(explain_lib(tmp_path, "shelf2", SRC), SRC, "give_back();", "E0599")
    (checked,) = validate([e], tmp_path / "shelf2").explanations
    assert all(f.validated == "compiles" for f in checked.fixes)
    shows = [" ".join(f.shows) for f in checked.fixes]
    first = next(i for i, s in enumerate(shows) if ".ok_or(ShelfError::Missing(back.to_string()))?" in s)
    assert all(i > first for i, s in enumerate(shows) if '"REASON"' in s or ".unwrap()" in s)
