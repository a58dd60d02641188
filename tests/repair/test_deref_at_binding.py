"""A `*` dropped where a local is bound (`let v = x;` for `let v = *x;`): every use of `v` breaks,
and rustc suggests `*v` at each. The repair puts the `*` where the local is bound, one edit for all
uses. Real cargo on two crates written here; and rustc's 'expected integer' read as a type."""

from __future__ import annotations

from pathlib import Path

import pytest

from engine.facts.parse import facts_of
from engine.repair.targets import errors_of
from tests.explain.crates import write_lib
from tests.repair.restore import assert_restored
from toolbelt.cargo_run import run_check

LARGEST = """pub fn largest(xs: &[u32]) -> u32 {
    let mut best = 0;
    for x in xs {
        let v = *x;
        if v > best {
            best = v;
        }
    }
    best
}
"""

PEAK = """pub fn peak(levels: &[u8]) -> u8 {
    let mut top = 0;
    for l in levels.iter() {
        let cur = *l;
        if cur >= top {
            top = cur;
        }
    }
    top
}
"""


@pytest.mark.parametrize(
    ("name", "good", "deref"), [("largest", LARGEST, "let v = *x;"), ("peak", PEAK, "let cur = *l;")]
)
def test_the_dereference_goes_where_the_local_is_bound(
    tmp_path: Path, name: str, good: str, deref: str
) -> None:
    assert_restored(tmp_path, name, good.replace(deref, deref.replace("*", "")), good, validations=1)


def test_an_unsuffixed_literal_side_is_read_as_its_rustc_type(tmp_path: Path) -> None:
    root = write_lib(tmp_path, "lit", LARGEST.replace("let v = *x;", "let v = x;"))
    pairs = {
        (facts_of(d).expected, facts_of(d).found)
        for d in errors_of(run_check(root, target_dir=tmp_path / "t"))
    }
    assert pairs == {("&u32", "{integer}"), ("{integer}", "&u32")}
