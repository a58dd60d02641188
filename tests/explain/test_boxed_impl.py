"""Branches of a fn returning `impl Trait` that build different concrete types (E0308 at the second
branch): Rusta's fix returns `Box<dyn Trait>` and boxes each returned value, validated, with its
cost said (#14, review F f19, where Rusta had "nothing to add").

Real cargo on crates written here: an `if`/`else` returning two structs as `impl Sound` (a trait the
crate declares), and a `match` returning two std iterators as `Option<impl Iterator<Item = u32>>`;
each fix compiles, keeps the crate's tests green once applied, and passes the honesty judge. A trait
with a generic method (not dyn-compatible) gets no box.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from engine.edits import apply_edits, by_file
from engine.explain.validation import validate
from engine.repair.boxed_impl import boxed_impl_return
from modes.rendering import render_text
from modes.verdicts import pair_verdict_lines
from tests.explain import honesty
from tests.explain.crates import cargo_test, errors_of, explain_lib, write_lib

pytestmark = pytest.mark.slow

PETS = """pub trait Sound {
    fn speak(&self) -> String;
}

pub struct Dog;
pub struct Cat {
    pub lives: u8,
}

impl Sound for Dog {
    fn speak(&self) -> String {
        "woof".to_string()
    }
}

impl Sound for Cat {
    fn speak(&self) -> String {
        format!("meow x{}", self.lives)
    }
}

pub fn pet(kind: &str) -> impl Sound {
    if kind == "dog" {
        Dog
    } else {
        Cat { lives: 9 }
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn speaks() {
        assert_eq!(super::pet("dog").speak(), "woof");
        assert_eq!(super::pet("cat").speak(), "meow x9");
    }
}
"""

COUNTS = """pub fn counts(up: u32, order: &str) -> Option<impl Iterator<Item = u32>> {
    match order {
        "up" => Some(0..up),
        "down" => Some((0..up).rev()),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn both_ways() {
        assert_eq!(super::counts(3, "down").unwrap().collect::<Vec<_>>(), vec![2, 1, 0]);
        assert_eq!(super::counts(2, "up").unwrap().sum::<u32>(), 1);
        assert!(super::counts(2, "sideways").is_none());
    }
}
"""

VISIT = """pub trait Node {
    fn visit<F: Fn(u32)>(&self, f: F);
}

pub struct Leaf(pub u32);
pub struct Pair(pub u32, pub u32);

impl Node for Leaf {
    fn visit<F: Fn(u32)>(&self, f: F) {
        f(self.0)
    }
}

impl Node for Pair {
    fn visit<F: Fn(u32)>(&self, f: F) {
        f(self.0);
        f(self.1)
    }
}

pub fn node(n: u32) -> impl Node {
    if n < 10 {
        Leaf(n)
    } else {
        Pair(n / 10, n % 10)
    }
}
"""


def _applied(root: Path, edits) -> None:  # noqa: ANN001 - the fix's edits
    for rel, es in by_file(edits).items():
        p = root / rel
        p.write_bytes(apply_edits(p.read_bytes(), es))


@pytest.mark.parametrize(
    ("name", "src", "boxed", "value"),
    [
        ("pets", PETS, "-> Box<dyn Sound>", "Box::new(Cat { lives: 9 })"),
        ("counts", COUNTS, "Option<Box<dyn Iterator<Item = u32>>>", "Some(Box::new((0..up).rev()))"),
    ],
)
def test_branches_of_two_types_return_a_box(
    tmp_path: Path, monkeypatch, name: str, src: str, boxed: str, value: str
) -> None:
    monkeypatch.setenv("RUSTA_CACHE_DIR", str(tmp_path / "cache"))
    run = validate(explain_lib(tmp_path, name, src), tmp_path / name)
    i, e = next((i, e) for i, e in enumerate(run.explanations) if e.code == "E0308")
    assert e.fixes, [(o.name, o.validated, o.fails_because) for o in run.failed[i]]
    first = e.fixes[0]
    shows = " ".join(first.shows)
    assert first.validated == "compiles" and first.tests_run == "passed", (first.name, first.validated)
    assert boxed in shows and value in shows, shows
    if first.source != "rustc":  # rustc proposes the same box for a bare `impl Trait`: its words stay
        assert "heap allocation" in first.name and "dynamic dispatch" in first.name, first.name
    pair = " ".join(ln.text for ln in pair_verdict_lines(e, run.failed[i]))
    assert pair.startswith("Fix ✓"), pair
    program = honesty.program_tokens(tmp_path / name)
    quotes = honesty.rustc_quotes(e.diagnostics)
    lies = [s.code for s in honesty.shown(e, render_text) if not honesty.judge(e, s, program, quotes)]
    assert not lies, lies
    _applied(tmp_path / name, first.edits)
    assert cargo_test(tmp_path / name).returncode == 0


def test_a_trait_with_a_generic_method_gets_no_box(tmp_path: Path) -> None:
    """The same shape on a dyn-compatible trait gets the box; a generic method rules it out."""
    for name, src, built in (
        ("visit", VISIT, False),
        ("visit2", VISIT.replace("<F: Fn(u32)>", "").replace("f: F", "f: &dyn Fn(u32)"), True),
    ):
        root = write_lib(tmp_path, name, src)
        d = next(d for d in errors_of(root, tmp_path) if d.code_str == "E0308")
        got = boxed_impl_return(d, lambda rel, root=root: (root / rel).read_bytes(), ("src/lib.rs",))
        assert bool(got) == built, (name, [c.description for c in got])
