"""Generic arithmetic whose result is the type parameter again: one bound `T: Op<Output = T>` per
operator the body uses on `T` values, `std::ops` imported once, `Copy` only where rustc reports a
`T` used after a move; never where the signature says the result is another type. Real cargo on
crates written here."""

from __future__ import annotations

from pathlib import Path

import pytest

from engine.edits import apply_edits
from engine.repair.op_bounds import closed_operators
from engine.repair.registry import template_candidates
from tests.explain.crates import write_lib
from toolbelt.cargo_run import run_check

AREA = """pub fn area<T: std::ops::Mul>(w: T, h: T, border: T) -> T {
    w * h + border
}
"""

LERP = """use std::fmt::Debug;

pub fn lerp<T: Debug>(a: T, b: T, t: T) -> T {
    a + (b - a) * t
}
"""

# the same shape through a slice, a loop and a compound assignment
TOTAL = """pub fn weighted<T>(xs: &[T], ws: &[T], zero: T) -> T {
    let mut acc = zero;
    for i in 0..xs.len() {
        acc += xs[i] * ws[i];
    }
    -acc
}
"""

# rustc's own first step taken: its `where <T as Mul>::Output: Add<T>` goes, the bounds replace it
STEPPED = """pub fn area<T: std::ops::Mul>(w: T, h: T, border: T) -> T
where
    <T as std::ops::Mul>::Output: std::ops::Add<T>,
{
    w * h + border
}
"""

# the parameter is the `impl` block's, the value starts as `T::default()`
TRACE = """pub struct Matrix<T> {
    pub n: usize,
    pub data: Vec<T>,
}

impl<T: Copy + Default> Matrix<T> {
    pub fn trace(&self) -> T {
        let mut acc = T::default();
        for i in 0..self.n {
            acc = acc + self.data[i * self.n + i];
        }
        acc
    }
}
"""

# the same without `Copy`: the element moved out of the Vec (E0507) asks for it
TRACE_MOVE = TRACE.replace("impl<T: Copy + Default>", "impl<T: Default>")

# a loop pattern that copies each element out
SUM = """pub fn sum_all<T: Copy + Default>(items: &[T]) -> T {
    let mut total = T::default();
    for &x in items {
        total = total + x;
    }
    total
}
"""

# the result is `T::Output` by design: the bound that makes it `T` would change what the fn means
DOT = """pub fn dot<T: std::ops::Mul>(a: T, b: T) -> <T as std::ops::Mul>::Output {
    a * b + b
}
"""

# an operator with a literal: `T: Mul<Output = T>` cannot make `x * 2` compile
TWICE = """pub fn twice<T: std::ops::Add>(x: T, y: T) -> T {
    x + y * 2
}
"""


def _errors(root: Path, tmp: Path):
    report = run_check(root, target_dir=tmp / "target")
    return [d for d in report.diagnostics if d.level.startswith("error")]


def _read(root: Path):
    return lambda rel: (root / rel).read_bytes() if (root / rel).exists() else None


def _repair_until_clean(root: Path, tmp: Path, limit: int = 3) -> list[str]:
    """Apply the op-bounds repair for the first error it answers until the crate builds; the
    repairs' descriptions."""
    said = []
    for _ in range(limit):
        errs = _errors(root, tmp)
        if not errs:
            return said
        cands = [c for d in errs for c in template_candidates(d, _read(root), ("src/lib.rs",))]
        # the impl-wide bound (the method-only one beside it: tests/explain/test_narrow_bounds.py)
        mine = [c for c in cands if c.family == "closed-operators" and "` only: " not in c.description]
        assert mine, [(d.code_str, d.message) for d in errs]
        lib = root / "src" / "lib.rs"
        lib.write_bytes(apply_edits(lib.read_bytes(), list(mine[0].edits)))
        said.append(mine[0].description)
    assert not _errors(root, tmp)
    return said


@pytest.mark.slow
@pytest.mark.parametrize(
    ("name", "src", "bound"),
    [
        ("area", AREA, "T: Mul<Output = T> + Add<Output = T>"),
        ("lerp", LERP, "T: Add<Output = T> + Sub<Output = T> + Mul<Output = T> + Debug + Copy"),
        ("total", TOTAL, "T: AddAssign + Mul<Output = T> + Neg<Output = T> + Copy"),
        ("trace", TRACE, "impl<T: Add<Output = T> + Copy + Default> Matrix<T> {"),
        ("trace_move", TRACE_MOVE, "impl<T: Add<Output = T> + Default + Copy> Matrix<T> {"),
        ("sum", SUM, "T: Add<Output = T> + Copy + Default"),
        ("stepped", STEPPED, "T: Mul<Output = T> + Add<Output = T>>(w: T, h: T, border: T) -> T {"),
    ],
)
def test_every_operator_on_the_parameter_is_bound_to_give_it_back(
    tmp_path: Path, name: str, src: str, bound: str
) -> None:
    root = write_lib(tmp_path, name, src)
    said = _repair_until_clean(root, tmp_path)
    text = (root / "src" / "lib.rs").read_text()
    assert bound in text, text
    assert text.count("use std::ops::") == 1 and "where" not in text, text
    assert said and said[0].startswith("bound `T: "), said
    if "Copy" in bound and "Copy" not in src:  # added by the E0382/E0508 step
        assert "+ Copy`" in said[-1], said


@pytest.mark.slow
@pytest.mark.parametrize(("name", "src"), [("dot", DOT), ("twice", TWICE)])
def test_not_offered_where_the_result_is_not_the_parameter(tmp_path: Path, name: str, src: str) -> None:
    root = write_lib(tmp_path, name, src)
    errs = _errors(root, tmp_path)
    assert errs
    assert not [c for d in errs for c in closed_operators(d, _read(root))]
