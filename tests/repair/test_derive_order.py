"""A derive brought back goes where the crate's other derive lists put it, not at the end of the list."""

from __future__ import annotations

from pathlib import Path

from engine.repair.derive import ordered_insert
from engine.repair.search import repair


def test_the_crates_order_decides_the_place() -> None:
    votes = {("Clone", "Debug"): 3, ("Debug", "Eq"): 3, ("Eq", "PartialEq"): 3, ("Clone", "Eq"): 3}
    assert ordered_insert(["Clone", "Eq", "PartialEq"], ["Debug"], votes) == [
        "Clone",
        "Debug",
        "Eq",
        "PartialEq",
    ]
    assert ordered_insert(["PartialEq"], ["Clone", "Copy"], {("Copy", "Clone"): 1}) == [
        "PartialEq",
        "Copy",
        "Clone",
    ]


def test_with_no_evidence_the_trait_goes_last() -> None:
    assert ordered_insert(["Debug", "Hash"], ["Clone"], {}) == ["Debug", "Hash", "Clone"]


def test_with_no_evidence_of_the_pair_a_supertrait_goes_before_the_trait_that_needs_it() -> None:
    assert ordered_insert(["Debug", "Copy"], ["Clone"], {}) == ["Debug", "Clone", "Copy"]
    assert ordered_insert(["Hash", "Eq"], ["PartialEq"], {}) == ["Hash", "PartialEq", "Eq"]
    assert ordered_insert(["Debug", "Ord"], ["PartialOrd"], {("Debug", "Hash"): 2}) == [
        "Debug",
        "PartialOrd",
        "Ord",
    ]


def test_cargo_a_dropped_debug_comes_back_in_the_crates_order(tmp_path: Path) -> None:
    lib = (
        "#[derive(Clone, Copy, Debug, Eq, PartialEq)]\npub enum Kind { A, B }\n\n"
        "#[derive(Clone, Debug, Eq, PartialEq)]\npub struct ParseError { pub kind: Kind }\n\n"
        "pub fn parse(s: &str) -> Result<Kind, ParseError> {\n"
        '    match s { "a" => Ok(Kind::A), "b" => Ok(Kind::B), _ => Err(ParseError { kind: Kind::A }) }\n}\n\n'
        'pub fn show(s: &str) -> String { format!("{:?}", parse(s)) }\n'
    )
    (tmp_path / "src").mkdir()
    (tmp_path / "Cargo.toml").write_text('[package]\nname = "kinds"\nversion = "0.1.0"\nedition = "2021"\n')
    (tmp_path / "src" / "lib.rs").write_text(lib.replace("#[derive(Clone, Debug, Eq,", "#[derive(Clone, Eq,"))
    result = repair(tmp_path, budget=6)
    assert result.status == "fixed", result.message
    assert dict(result.files)["src/lib.rs"].decode() == lib


def test_cargo_a_dropped_clone_under_copy_comes_back_before_it(tmp_path: Path) -> None:
    lib = (
        "#[derive(Debug, Clone, Copy)]\npub struct Cell {\n    pub v: u8,\n}\n\n"
        "pub fn pair(c: &Cell) -> (Cell, Cell) {\n    (c.clone(), *c)\n}\n"
    )
    (tmp_path / "src").mkdir()
    (tmp_path / "Cargo.toml").write_text('[package]\nname = "cells"\nversion = "0.1.0"\nedition = "2021"\n')
    (tmp_path / "src" / "lib.rs").write_text(lib.replace("Debug, Clone, Copy", "Debug, Copy"))
    result = repair(tmp_path, budget=6, run_tests=False)
    assert result.status == "fixed", result.message
    assert dict(result.files)["src/lib.rs"].decode() == lib
