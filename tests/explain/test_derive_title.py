"""A derive fix is titled by what its patch adds: a type that already derives `PartialEq` and is
used as a `HashSet` key gets "derive Eq, Hash", not "derive PartialEq, Eq, Hash" (#14). Real cargo
on a crate written here."""

from __future__ import annotations

from pathlib import Path

import pytest

from engine.explain.validation import validate
from tests.explain.crates import explain_lib

TILES = """use std::collections::HashSet;

#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Tile {
    pub x: i32,
    pub y: i32,
}

pub fn distinct(tiles: &[Tile]) -> usize {
    let seen: HashSet<Tile> = tiles.iter().copied().collect();
    seen.len()
}
"""


@pytest.mark.slow
def test_derive_title_names_only_the_traits_it_adds(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setenv("RUSTA_CACHE_DIR", str(tmp_path / "cache"))
    stories = explain_lib(tmp_path, "tiles", TILES)
    run = validate(stories, tmp_path / "tiles")
    derives = [o for e in run.explanations for o in e.fixes if o.name.lower().startswith("derive ")]
    assert derives, [o.name for e in run.explanations for o in e.fixes]
    for o in derives:
        assert "PartialEq" not in o.name, o.name
        added = "".join(ln for ln in o.patch.splitlines() if ln.startswith("+"))
        title = o.name.split("(")[0]  # rustc's own words may follow in parentheses
        for trait in ("Eq", "Hash"):  # the title names a trait exactly when the patch adds it
            assert (trait in title.replace("PartialEq", "")) == (trait in added.replace("PartialEq", "")), o
    # the lead adds both and compiles; one alone (rustc's per-trait help) only type-checks, the other error left
    assert derives[0].validated == "compiles" and "Eq, Hash" in derives[0].name, [
        (o.name, o.validated) for o in derives
    ]
    assert all(o.validated != "compiles" for o in derives[1:]), [(o.name, o.validated) for o in derives]
