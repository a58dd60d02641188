"""`rusta explain --apply N` on a story that has no fix to apply exits 4 with one sentence, not 2
("bad input"): the story and the number were right (#14). Real cargo on a crate written here: a
file imports from `serde`, a crate the manifest does not declare and no edit inside the crate can supply
(the owned-return shape this test used first now gets a fix carried through its callers). The refusal
agrees with `--json`: a story whose `fixes` and `failed` are both empty has no code fix, only advice
(reviews D: d14, d02 were told "none of its fixes compiled" of fixes that never existed)."""

from __future__ import annotations

import json
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
        said.startswith("rusta: story #1 (E0432 at src/lib.rs:1)") and "has no code fix, only advice" in said
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


STOCK = """\
use std::collections::HashMap;

pub struct Depots {
    pub stock: HashMap<String, u32>,
}

impl Depots {
    pub fn shift(&mut self, from: &str, to: &str, n: u32) {
        let a = self.stock.get_mut(from).unwrap();
        let b = self.stock.get_mut(to).unwrap();
        *a -= n;
        *b += n;
    }
}
"""


def test_apply_refusal_agrees_with_the_json_lists(tmp_path: Path) -> None:
    """Two live `get_mut`s on one map (E0499), a story whose ways out are advice: --apply's sentence
    says what the JSON's options/failed lists say, not "none of its fixes compiled"."""
    root = write_lib(tmp_path, "depots", STOCK)
    js = rusta("explain", str(root), "--json", "--no-clippy")
    stories = [json.loads(ln) for ln in js.stdout.splitlines() if ln.strip()]
    first = stories[0]
    assert first["code"] == "E0499", first
    # the fixture's story offers words only: no option with a patch, none failed, no rustc patch
    assert not [o for o in first["options"] if o["patch"]] and not first["failed"], first
    assert not first["patch"], first["patch"]
    r = rusta("explain", str(root), "--apply", "1", "--no-clippy")
    assert r.returncode == 4, r.stdout + r.stderr
    said = r.stderr.strip().splitlines()[-1]
    assert said.startswith("rusta: story #1 (E0499 at src/lib.rs:10)"), said
    assert "has no code fix, only advice" in said and "compiled" not in said, said
    assert (root / "src" / "lib.rs").read_text() == STOCK
