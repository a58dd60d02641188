"""A `no_std` crate (built with std by a default feature) that lost a `use core::..`: rustc names
`std::` only; the repair imports from the root the crate uses. Real cargo on crates written here."""

from __future__ import annotations

from pathlib import Path

from engine.repair.placement import place_imports
from engine.repair.search import repair
from engine.repair.template_kit import _make
from engine.repair.types import Edit

EVENS = """#![cfg_attr(not(feature = "std"), no_std)]

use core::fmt;
use core::iter;

pub struct Evens(pub u32);

impl iter::Iterator for Evens {
    type Item = u32;
    fn next(&mut self) -> Option<u32> {
        self.0 += 2;
        Some(self.0)
    }
}

impl fmt::Display for Evens {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "evens from {}", self.0)
    }
}
"""

MANIFEST = """[package]
name = "evens"
version = "0.1.0"
edition = "2021"

[features]
default = ["std"]
std = []
"""


def test_the_import_comes_from_core_in_a_no_std_crate(tmp_path: Path) -> None:
    (tmp_path / "src").mkdir()
    (tmp_path / "Cargo.toml").write_text(MANIFEST)
    (tmp_path / "src" / "lib.rs").write_text(EVENS.replace("use core::iter;\n", ""))
    result = repair(tmp_path, budget=6, run_tests=False)
    assert result.status == "fixed", result.message
    assert dict(result.files)["src/lib.rs"].decode() == EVENS


def test_a_crate_that_is_not_no_std_gets_no_twin() -> None:
    src = EVENS.replace('#![cfg_attr(not(feature = "std"), no_std)]\n\n', "").replace("use core::iter;\n", "")
    files = {"src/lib.rs": src.encode()}
    at = src.index("use core::fmt;")
    cand = _make(
        [Edit(file="src/lib.rs", start=at, end=at, replacement="use std::iter;\n")],
        "import",
        "rustc:x",
        "E0433",
        0.9,
    )
    placed = place_imports([cand], files.get, ("src/lib.rs",))
    assert [e.replacement for c in placed for e in c.edits] == ["use std::iter;\n"]
    files["src/lib.rs"] = EVENS.replace("use core::iter;\n", "").encode()
    placed = place_imports([cand], files.get, ("src/lib.rs",))
    assert [e.replacement for c in placed for e in c.edits] == ["use core::iter;\n"]
