"""A unit variant called with arguments (E0618) is the enum's tuple variant of that arity: real cargo
on two crates written here, and the candidates read from the real diagnostic."""

from __future__ import annotations

from pathlib import Path

import pytest

from engine.repair.variant_call import called_unit_variant
from tests.explain.crates import write_lib
from tests.repair.restore import assert_restored
from toolbelt.cargo_run import run_check

CHECKSUM = """pub struct Rolling(u32);

pub enum Check {
    Skip,
    Adler(Rolling),
}

pub fn adler() -> Check {
    Check::Adler(Rolling(1))
}
"""

SHAPES = """#[derive(Debug)]
pub enum Shape {
    Point,
    Circle(f64),
    Rect(f64, f64),
    Square(f64),
}

pub fn unit_circle() -> Shape {
    Shape::Circle(1.0)
}
"""


@pytest.mark.parametrize(
    ("name", "good", "right", "wrong"),
    [
        ("checksum", CHECKSUM, "Check::Adler(", "Check::Skip("),
        ("shapes", SHAPES, "Shape::Circle(", "Shape::Point("),
    ],
)
def test_the_called_unit_variant_becomes_a_tuple_variant(
    tmp_path: Path, name: str, good: str, right: str, wrong: str
) -> None:
    assert_restored(tmp_path, name, good.replace(right, wrong), good)


def test_only_tuple_variants_of_the_calls_arity_are_offered_nearest_name_first(tmp_path: Path) -> None:
    root = write_lib(tmp_path, "shapes", SHAPES.replace("Shape::Circle(", "Shape::Point("))
    read = lambda rel: (root / rel).read_bytes()  # noqa: E731
    (d,) = [d for d in run_check(root).diagnostics if d.level == "error"]
    assert d.code_str == "E0618"
    offered = [c.edits[0].replacement for c in called_unit_variant(d, read)]
    assert offered == ["Circle", "Square"] or offered == ["Square", "Circle"]
    assert "Rect" not in offered  # two fields: the call passes one
