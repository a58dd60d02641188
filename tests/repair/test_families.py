"""Held-out mutation families: each operator makes exactly its one mistake, and only in library code
(test code for the one family that aims at it)."""

from __future__ import annotations

from engine.gym.families import (
    FAMILY_OPERATORS,
    fail_one_test,
    in_test_module,
    removed_lifetime,
    wrong_variant,
)
from engine.gym.mutate import TEST_CODE_KINDS, apply, sites

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
enum Shape { Circle(f64), Square, Rect { w: f64 } }
fn size(s: &Shape) -> f64 { match s { Shape::Circle(r) => *r, Shape::Square => 1.0, Shape::Rect { w } => *w } }
struct View<'a> { name: &'a str }
fn longest<'a>(a: &'a str, b: &'a str) -> &'a str { if a.len() > b.len() { a } else { b } }
#[cfg(test)]
mod tests { fn t(x: u8) -> u64 { let mut y = x as u64; y += 1; y } }
"""
TESTS = "mod tests { fn t(x: u8) -> u64 { let mut y = x as u64; y += 1; y } }\n"


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
    assert any("Shape::Cicle(r) => *r" in t for t in got["wrong-variant"])
    assert any("struct View<'a> { name: &str }" in t for t in got["removed-lifetime"])
    assert any("let y = x as u64" in t for t in got["test-module-mistake"])


def test_test_modules_are_mutated_only_by_the_family_aimed_at_them() -> None:
    for kind, texts in _mutants().items():
        for t in texts:
            head, _, tail = t.partition("#[cfg(test)]\n")
            assert (tail != TESTS) == (kind in TEST_CODE_KINDS), (kind, t)
            assert (head == SRC.partition("#[cfg(test)]")[0]) == (kind in TEST_CODE_KINDS), (kind, t)


def _all(op, text: str) -> list[str]:  # noqa: ANN001
    return [apply(text.encode(), m).decode() for m in op("src/lib.rs", text)]


def test_a_wrong_variant_is_misspelt_or_one_of_another_shape() -> None:
    text = "enum Tok { Word(String), Space, Comma }\nfn f(t: Tok) -> bool { matches!(t, Tok::Space) }\n"
    got = _all(wrong_variant, text)
    assert any("matches!(t, Tok::Spce)" in t for t in got)
    assert any("matches!(t, Tok::Word)" in t for t in got)  # a tuple variant cannot stand for a unit one
    assert not any("Tok::Comma)" in t for t in got)  # same shape: it would compile, a logic slip
    assert _all(wrong_variant, "fn f() -> Option<u8> { Option::Some(1) }\n") == []  # not declared here


def test_a_lifetime_is_removed_only_where_elision_cannot_supply_it() -> None:
    text = (
        "pub struct Pair<'a, T>(&'a T, &'a mut T);\n"
        "fn pick<'a>(m: &'a str, n: &'a str) -> &'a str { m }\n"
        "fn own<'a>(v: Vec<u8>) -> &'a str { \"\" }\n"
        "fn one<'a>(m: &'a str) -> &'a str { m }\n"
        "impl<'a> Pair<'a, u8> { fn get<'b>(&self, o: &'b u8) -> &'b u8 { o } }\n"
    )
    got = _all(removed_lifetime, text)
    assert "pub struct Pair<'a, T>(&T, &'a mut T);" in got[0]
    assert "pub struct Pair<'a, T>(&'a T, &mut T);" in got[1]
    assert "fn pick<'a>(m: &'a str, n: &'a str) -> &str { m }" in got[2]
    assert "fn own<'a>(v: Vec<u8>) -> &str" in got[3]
    assert len(got) == 4  # one reference in, or a `self`: elision covers the output
    fields = "enum Tok<'s> { Word(&'s str), Rest(Chars<'s>), Fixed(Vec<u8>) }\n"
    assert _all(removed_lifetime, fields) == [
        "enum Tok<'s> { Word(&str), Rest(Chars<'s>), Fixed(Vec<u8>) }\n",
        "enum Tok<'s> { Word(&'s str), Rest(Chars), Fixed(Vec<u8>) }\n",
    ]


def test_a_test_module_mistake_is_made_in_test_code_only() -> None:
    text = "fn lib() { let mut v = 1; v += 1; }\n#[cfg(test)]\nmod tests {\n    fn t() { let mut w = 2; w += 1; }\n}\n"
    got = _all(in_test_module, text)
    assert got and all(t.startswith("fn lib() { let mut v = 1; v += 1; }") for t in got)
    assert any("let w = 2" in t for t in got)
    assert _all(in_test_module, "fn lib() { let mut v = 1; v += 1; }\n") == []


def test_one_plain_test_is_made_to_fail_before_the_mistake() -> None:
    text = (
        "#[cfg(test)]\nmod tests {\n    #[should_panic]\n    #[test]\n    fn boom() { panic!() }\n"
        "    #[test]\n    fn adds() { assert_eq!(1 + 1, 2); }\n}\n"
    )
    pre = fail_one_test("src/lib.rs", text)
    assert pre is not None and pre.kind == "failing-suite"
    after = apply(text.encode(), pre).decode()
    assert 'fn adds() { assert!(false, "gym: `adds` fails before the mistake"); assert_eq!' in after
    assert "fn boom() { panic!() }" in after  # under #[should_panic] a panic passes: passed over
    assert fail_one_test("src/lib.rs", "fn lib() {}\n") is None


def test_the_dev_families_are_unchanged_by_default() -> None:
    kinds = {m.kind for m in sites("src/lib.rs", SRC)}
    assert not kinds & set(FAMILY_OPERATORS)
