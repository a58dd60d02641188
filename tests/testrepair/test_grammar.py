"""The slip grammar on syntax-tree sites: never in test code, never in a macro or a generic, and every
slip the gym makes at a site has a repair edit that restores the original bytes exactly."""

from __future__ import annotations

from pathlib import Path

import pytest

from engine.edits import apply_edits
from engine.syntax.program import functions
from engine.syntax.sites import sites
from engine.testrepair.grammar import mutants

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
RANGE = (FIXTURES / "testrepair_range" / "src" / "lib.rs").read_bytes()
WINDOW = (FIXTURES / "testrepair_window" / "src" / "lib.rs").read_bytes()


def _test_lines(src: bytes) -> set[int]:
    start = src.index(b"#[cfg(test)]")
    return set(range(src[:start].count(b"\n") + 1, src.count(b"\n") + 2))


@pytest.mark.parametrize("src", [RANGE, WINDOW], ids=["range", "window"])
def test_no_site_in_test_code(src: bytes) -> None:
    assert sites(src), "the library has sites"
    assert not {s.range.line for s in sites(src)} & _test_lines(src)
    assert not {m.line for m in mutants(src, "src/lib.rs")} & _test_lines(src)


def test_generics_macros_and_struct_updates_are_not_sites() -> None:
    src = b"fn f(v: Vec<u8>) -> bool { let s = S { a: 1, ..Default::default() }; assert!(v.len() < 3); vec![1] == v }\n"
    kinds = {(s.kind, s.range.text) for s in sites(src)}
    assert ("relational", "==") in kinds  # the real comparison
    assert not any(t == "<" for _, t in kinds)  # `Vec<u8>` and the `<` inside assert! are not sites
    assert not any(k == "range" for k, _ in kinds)  # `..Default::default()` is a struct update
    assert not any(k == "not" for k, _ in kinds)  # `vec!` / `assert!` are macro names


@pytest.mark.parametrize("src", [RANGE, WINDOW], ids=["range", "window"])
def test_every_slip_at_a_site_has_an_exact_restore(src: bytes) -> None:
    slips = mutants(src, "src/lib.rs", slips=True)
    assert len(slips) > 10
    unrestorable = []
    for slip in slips:
        broken = apply_edits(src, [slip.edit])
        fixes = mutants(broken, "src/lib.rs", [slip.line])
        if not any(apply_edits(broken, [f.edit]) == src for f in fixes):
            unrestorable.append(slip.description)
    assert unrestorable == []


def test_calls_reach_through_macros_and_skip_test_code() -> None:
    fns = {f.name: f for f in functions(RANGE)}
    assert fns["count_in"].calls == ("contains",)
    assert "parse_range" in fns["test_parse_range"].calls  # inside assert_eq!(...)
    assert fns["test_parse_range"].is_test and fns["test_parse_range"].in_test_code
    assert not fns["contains"].in_test_code
    assert fns["contains"].lines == (27,)
