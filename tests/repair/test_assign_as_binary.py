"""`a += b` (E0368) on a type with `Add` but no `AddAssign` is tried as `a = a + b`; a compound right
side keeps its grouping. Real cargo on a crate written here."""

from __future__ import annotations

from pathlib import Path

from engine.edits import apply_edits
from engine.explain.validation import validate
from engine.repair.assignop import binary_for_assign
from tests.explain.crates import explain_lib, story, write_lib
from toolbelt.cargo_run import run_check

SRC = """use std::ops::{Add, Sub};

#[derive(Clone, Copy, Debug)]
pub struct Meters(pub f64);

impl Add for Meters {
    type Output = Meters;
    fn add(self, o: Meters) -> Meters {
        Meters(self.0 + o.0)
    }
}

impl Sub for Meters {
    type Output = Meters;
    fn sub(self, o: Meters) -> Meters {
        Meters(self.0 - o.0)
    }
}

pub fn walked(legs: &[Meters]) -> Meters {
    let mut total = Meters(0.0);
    for leg in legs {
        total += *leg;
    }
    total
}

pub fn left(goal: Meters, a: Meters, b: Meters) -> Meters {
    let mut rest = goal;
    rest -= a - b;
    rest
}
"""


def test_an_assign_operator_the_type_lacks_is_tried_as_the_binary_one(tmp_path: Path) -> None:
    root = write_lib(tmp_path, "walk", SRC)
    errors = [d for d in run_check(root, target_dir=tmp_path / "target").diagnostics if d.code_str == "E0368"]
    assert len(errors) == 2

    def read(f: str) -> bytes | None:
        return (root / f).read_bytes() if (root / f).exists() else None

    edits = tuple(e for d in errors for e in binary_for_assign(d, read)[0].edits)
    fixed = apply_edits(SRC.encode(), edits).decode()
    assert "total = total + *leg;" in fixed and "rest = rest - (a - b);" in fixed
    (root / "src" / "lib.rs").write_text(fixed)
    assert not [d for d in run_check(root, target_dir=tmp_path / "target").diagnostics if d.level == "error"]


def test_the_binary_rewrite_is_a_compiling_option(tmp_path: Path) -> None:
    e = story(explain_lib(tmp_path, "walk2", SRC), SRC, "total += *leg;", "E0368")
    (checked,) = validate([e], tmp_path / "walk2").explanations
    assert any(
        f.validated in ("compiles", "type-checks") and "total = total + *leg;" in " ".join(f.shows)
        for f in checked.fixes
    )
