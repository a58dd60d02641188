"""Uses of one private item from outside its module are one story, counted and placed (#14, review J).

rustc reports a privacy error at every use: four reads of one private field are four E0616, three
literals of a struct with a private field three E0451. Each was its own story with its own "nothing
to add"; the cause is one item's visibility (`engine.facts` reads the item, and where rustc says it
is defined, off the diagnostic), so they are one story whose heading says how many and where, and
whose getter or constructor fix is made at every place at once (`engine.explain.every_site`) and
type-checks, where each per-place fix alone failed on the next place of the same line. Real cargo
on two crates written here.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from tests.cli_runner import rusta
from tests.explain.crates import write_lib
from tests.explain.programs import SHOP

# three literals of a struct with one private field, two of another whose fields are all private
CANVAS = """\
pub mod canvas {
    pub struct Dot {
        pub x: i32,
        y: i32,
    }

    pub struct Size {
        w: u32,
        h: u32,
    }

    pub fn area(s: &Size) -> u32 {
        s.w * s.h
    }

    pub fn height(d: &Dot) -> i32 {
        d.y
    }
}

use canvas::{Dot, Size};

pub fn corners() -> Vec<Dot> {
    vec![
        Dot { x: 0, y: 0 },
        Dot { x: 5, y: 0 },
        Dot { x: 5, y: 5 },
    ]
}

pub fn tile() -> u32 {
    canvas::area(&Size { w: 2, h: 3 }) + canvas::area(&Size { w: 1, h: 1 })
}
"""


def _stories(root: Path) -> list[dict]:
    r = rusta("explain", str(root), "--no-clippy", "--json")
    return [json.loads(ln) for ln in r.stdout.splitlines() if ln.startswith("{")]


def _headings(root: Path) -> list[str]:
    out = rusta("explain", str(root), "--no-clippy", "--mode", "pair", "--no-validate", columns=200).stdout
    return [ln for ln in out.splitlines() if re.match(r"#\d+ error\[", ln)]


@pytest.mark.slow
def test_every_use_of_one_private_item_is_one_story(tmp_path: Path) -> None:
    root = write_lib(tmp_path, "shop", SHOP)
    stories = _stories(root)
    assert sorted(s["code"] for s in stories) == ["E0603", "E0616"], stories
    field = next(s for s in stories if s["code"] == "E0616")
    assert len(field["diagnostics"]) == 4, field
    # one getter, every read through it: the fix is made at the four places and type-checks
    fix = next(o for o in field["options"] if o.get("patch"))
    assert "at each of the 4 places" in fix["name"] and fix["validated"] in ("type-checks", "compiles"), fix
    assert fix["patch"].count("c.total()") == 4, fix["patch"]
    headings = _headings(root)
    assert any(h.endswith("(×3 at lines 20:19, 20:34 and 21)") for h in headings), headings
    assert any(h.endswith("(×4 at lines 18, 19, 21:15 and 21:39)") for h in headings), headings


@pytest.mark.slow
def test_literals_of_one_struct_with_private_fields_are_one_story_per_struct(tmp_path: Path) -> None:
    root = write_lib(tmp_path, "canvas", CANVAS)
    stories = _stories(root)
    assert [(s["code"], len(s["diagnostics"])) for s in stories] == [("E0451", 3), ("E0451", 2)], stories
    assert "`Dot`" in stories[0]["message"] and "`Size`" in stories[1]["message"], stories
    headings = _headings(root)
    assert headings[0].endswith("(×3 at lines 25, 26 and 27)"), headings
    assert headings[1].endswith("(×2 at lines 32:26 and 32:63)"), headings
