"""Held-out mutation families: each operator makes exactly its one mistake, and only in library code."""

from __future__ import annotations

from engine.gym.families import FAMILY_OPERATORS
from engine.gym.mutate import apply, sites

SRC = """use std::fmt::Display;
struct Counter { length: usize }
impl Iterator for Counter {
    type Item = usize;
    fn next(&mut self) -> Option<usize> { self.length += 1; Some(self.length as usize) }
}
fn show<T: Display>(t: T) -> String { format!("{}", t) }
fn area(w: u32, h: u64) -> u64 { mul(w, h) }
fn mul(a: u32, b: u64) -> u64 { b * a as u64 }
fn kind(o: &Option<String>) -> Option<&String> { match *o { _ => o.as_ref() } }
#[cfg(test)]
mod tests { fn t(x: u8) -> u64 { x as u64 } }
"""


def _mutants() -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for m in sites("src/lib.rs", SRC, FAMILY_OPERATORS):
        out.setdefault(m.kind, []).append(apply(SRC.encode(), m).decode())
    return out


def test_each_family_makes_its_mistake() -> None:
    got = _mutants()
    assert set(got) == set(FAMILY_OPERATORS)
    assert any("Some(self.length)" in t for t in got["dropped-cast"])
    assert any("match *o { _ => o }" in t for t in got["dropped-view"])
    assert any("fn next(&self)" in t for t in got["impl-self-not-mut"])
    assert any("match o {" in t for t in got["match-without-deref"])
    assert any("self.legth += 1" in t for t in got["field-typo"])
    assert any("fn show<T>(t: T)" in t for t in got["removed-bound"])
    assert any("mul(h, w)" in t for t in got["swapped-args"])


def test_test_modules_are_never_mutated() -> None:
    for texts in _mutants().values():
        for t in texts:
            assert t.endswith("mod tests { fn t(x: u8) -> u64 { x as u64 } }\n")


def test_the_dev_families_are_unchanged_by_default() -> None:
    kinds = {m.kind for m in sites("src/lib.rs", SRC)}
    assert not kinds & set(FAMILY_OPERATORS)
