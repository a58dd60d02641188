"""One gate for `todo!()` holes on every path that applies a patch (#14, #18). While another error
keeps the crate's tests from building, validation can only count errors, so a patch that writes
`todo!()` into a fn a test runs looked green; `rusta explain --apply` refused it, `rusta apply` landed
it. Both now go through `engine.patching.holes.gate` in the patch API's validate. Real cargo on a
crate written here: a shape enum whose `area` match misses a variant (E0004) and an unrelated type
error (E0308) in another fn, one test over `area`; `perimeter` has the same missing arm and no test."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.explain.crates import write_lib

pytestmark = pytest.mark.slow

REPO = Path(__file__).resolve().parents[2]

LIB = """\
pub enum Shape {
    Square(u32),
    Rect(u32, u32),
    Line(u32),
}

pub fn area(s: &Shape) -> u32 {
    match s {
        Shape::Square(a) => a * a,
        Shape::Rect(w, h) => w * h,
    }
}

pub fn perimeter(s: &Shape) -> u32 {
    match s {
        Shape::Square(a) => 4 * a,
        Shape::Rect(w, h) => 2 * (w + h),
    }
}

pub fn label(n: u32) -> String {
    n
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn areas() {
        assert_eq!(area(&Shape::Rect(2, 3)), 6);
        assert_eq!(area(&Shape::Line(4)), 0);
    }
}
"""


def _hole_in(fn_line: int) -> str:
    """rustc's wildcard arm, `_ => todo!()`, after the second arm of the match in the fn at `fn_line`."""
    lines = LIB.splitlines()
    at = fn_line + 3  # `fn`, `match`, two arms: the new arm goes after them
    ctx = lines[at - 3 : at]
    body = "".join(f" {ln}\n" for ln in ctx)
    return (
        f"--- a/src/lib.rs\n+++ b/src/lib.rs\n@@ -{at - 2},3 +{at - 2},4 @@\n{body}+        _ => todo!(),\n"
    )


def rusta(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "rusta_tui.cli.main", *args],
        capture_output=True,
        text=True,
        env=dict(os.environ, PYTHONPATH=str(REPO)),
        timeout=600,
        stdin=subprocess.DEVNULL,
    )


def test_rusta_apply_refuses_a_todo_a_test_runs_and_lands_one_no_test_runs(tmp_path: Path) -> None:
    root = write_lib(tmp_path, "shapes", LIB)
    fn_line = {
        name: LIB.splitlines().index(f"pub fn {name}(s: &Shape) -> u32 {{") + 1
        for name in ("area", "perimeter")
    }
    (tmp_path / "area.diff").write_text(_hole_in(fn_line["area"]))
    refused = rusta(
        "apply", str(tmp_path / "area.diff"), "--yes", "--path", str(root), "--explain", "E0004: an arm"
    )
    assert refused.returncode == 3, refused.stdout + refused.stderr
    assert "the patch writes `todo!()` in `area`" in refused.stderr and "test `areas` runs" in refused.stderr
    assert (root / "src" / "lib.rs").read_text() == LIB, "nothing landed"

    (tmp_path / "perimeter.diff").write_text(_hole_in(fn_line["perimeter"]))
    landed = rusta(
        "apply", str(tmp_path / "perimeter.diff"), "--yes", "--path", str(root), "--explain", "E0004"
    )
    assert landed.returncode == 0, landed.stdout + landed.stderr  # no test runs `perimeter`: errors fell
    assert "        _ => todo!(),\n" in (root / "src" / "lib.rs").read_text()
