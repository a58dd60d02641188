"""A cast dropped from one operand of mixed-type arithmetic: the repair aims at the innermost
operator that mixes two number types (the outer errors follow from it) and casts the operand that
has no `as T` to the T its neighbour states, never casting the cast again. Real cargo on crates
written here, two different programs of the one shape."""

from __future__ import annotations

from pathlib import Path

import pytest

from engine.repair.numeric import operand_cast
from engine.repair.targets import errors_of, next_target
from tests.explain.crates import write_lib
from tests.repair.restore import assert_restored
from toolbelt.cargo_run import run_check

OFFSET = """pub fn offset(base: u64, step: u32, n: usize) -> u64 {
    base + step as u64 * n as u64
}
"""

AREA = """pub struct Tile {
    pub cols: u16,
    pub rows: u16,
}

impl Tile {
    pub fn cells(&self) -> u32 {
        let total: u32 = self.cols as u32 * self.rows as u32;
        total
    }
}
"""

CASES = [
    ("offsets", OFFSET, "step as u64 *", "step *"),
    ("tiles", AREA, "self.cols as u32 *", "self.cols *"),
]


@pytest.mark.parametrize(("name", "good", "cast", "dropped"), CASES)
def test_the_dropped_cast_comes_back_on_the_operand_it_left(
    tmp_path: Path, name: str, good: str, cast: str, dropped: str
) -> None:
    assert_restored(tmp_path, name, good.replace(cast, dropped), good, validations=1)


def test_the_target_is_the_inner_mix_and_its_cast_operand_is_not_cast_again(tmp_path: Path) -> None:
    src = OFFSET.replace("step as u64 *", "step *")
    root = write_lib(tmp_path, "mix", src)
    errors = errors_of(run_check(root, target_dir=tmp_path / "target"))

    def read(rel: str) -> bytes | None:
        return (root / rel).read_bytes()

    outer = next_target(errors)  # without the source: the earliest place, the `+`
    assert "cannot add" in outer.message
    inner = next_target(errors, read)
    assert "cannot multiply" in inner.message
    texts = [c.description for c in operand_cast(inner, read)]
    assert texts == ["convert `step` with `as u64`"]
