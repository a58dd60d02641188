"""`rusta explain --apply N` on a story that has no fix to apply exits 4 with one sentence, not 2
("bad input"): the story and the number were right (#14). Real cargo on a crate written here: a
file imports from `serde`, a crate the manifest does not declare and no edit inside the crate can supply
(the owned-return shape this test used first now gets a fix carried through its callers)."""

from __future__ import annotations

from pathlib import Path

import pytest

from rusta_tui.cli.exitcodes import BY_COMMAND, COMMON
from tests.cli_runner import rusta
from tests.explain.crates import write_lib

pytestmark = pytest.mark.slow

LIB = """\
use serde::Serialize;

#[derive(Serialize)]
pub struct Point {
    pub x: u32,
    pub y: u32,
}

pub fn origin() -> Point {
    Point { x: 0, y: 0 }
}
"""


def test_apply_on_a_story_without_a_patch_exits_4_and_says_so(tmp_path: Path) -> None:
    root = write_lib(tmp_path, "points", LIB)
    r = rusta("explain", str(root), "--apply", "1", "--no-clippy")
    assert r.returncode == 4, r.stdout + r.stderr
    said = r.stderr.strip().splitlines()[-1]
    assert (
        said.startswith("rusta: story #1 (E0432 at src/lib.rs:1)") and "has no fix Rusta can apply" in said
    ), said
    assert "Nothing was changed" in said
    assert (root / "src" / "lib.rs").read_text() == LIB
    bad = rusta("explain", str(root), "--apply", "9", "--no-clippy")  # a number with no story: bad input
    assert bad.returncode == 2, bad.stdout + bad.stderr
    # the code is documented, distinct from the shared ones, and `--help` says it
    codes = dict(BY_COMMAND["explain"])
    assert 4 in codes and 4 not in dict(COMMON) and "no fix to apply" in codes[4]
    helped = rusta("explain", "--help")
    assert "4  --apply: story N has no fix to apply" in helped.stdout, helped.stdout
