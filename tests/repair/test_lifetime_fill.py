"""rustc's `'lifetime` hole filled with the named lifetimes its note lists: real cargo on two crates.

A reference in a struct's or enum's field lost its lifetime (`info: &Info<'t>` for `&'a Info<'t>`):
elision never applies there, rustc says E0106, suggests `&'lifetime` (HasPlaceholders, which cannot
compile as written) and notes which named lifetimes are in scope. Each of them is a candidate.
"""

from __future__ import annotations

from pathlib import Path

from engine.repair.placeholder_fill import available_lifetimes, filled_lifetimes
from engine.repair.search import repair
from engine.repair.types import Trial
from toolbelt.cargo_run import run_check

VIEW = """pub struct Info<'t> {
    pub text: &'t str,
}

pub struct View<'a, 't> {
    pub info: &Info<'t>,
    pub at: usize,
    pub _a: std::marker::PhantomData<&'a ()>,
}

impl<'a, 't> View<'a, 't> {
    pub fn first(&self) -> Option<char> {
        self.info.text[self.at..].chars().next()
    }
}
"""

TOKENS = """pub enum Tok<'s, 'k> {
    Word(&str),
    Key(&'k str),
    End,
}

pub fn word<'s, 'k>(t: &Tok<'s, 'k>) -> Option<&'s str> {
    match t {
        Tok::Word(w) => Some(w),
        _ => None,
    }
}
"""


def _crate(root: Path, lib: str) -> Path:
    (root / "src").mkdir(parents=True)
    (root / "Cargo.toml").write_text(
        f'[package]\nname = "{root.name}"\nversion = "0.1.0"\nedition = "2021"\n'
    )
    (root / "src" / "lib.rs").write_text(lib)
    return root


def test_the_note_names_the_lifetimes_and_each_fills_the_hole(tmp_path: Path) -> None:
    root = _crate(tmp_path / "view", VIEW)
    (e0106,) = [d for d in run_check(root).diagnostics if d.level == "error"]
    assert e0106.code_str == "E0106"
    assert available_lifetimes(e0106) == ["'a", "'t"]
    filled = [c.edits[0].replacement for c in filled_lifetimes(e0106)]
    assert filled == ["'a ", "'t "]


def test_a_field_that_lost_its_lifetime_gets_one_in_scope(tmp_path: Path) -> None:
    view = _crate(tmp_path / "view", VIEW)
    trials: list[Trial] = []
    got = repair(view, budget=6, rank_with_lm=False, on_trial=trials.append)
    assert got.status == "fixed", got.message
    assert [t.candidate.family for t in trials if t.check_status == "clean"] == ["fill-lifetime"]
    text = dict(got.files)["src/lib.rs"].decode()
    assert "pub info: &'a Info<'t>," in text or "pub info: &'t Info<'t>," in text
    tokens = _crate(tmp_path / "tokens", TOKENS)
    got = repair(tokens, budget=6, rank_with_lm=False)
    assert got.status == "fixed", got.message
    assert "    Word(&'s str),\n" in dict(got.files)["src/lib.rs"].decode()  # `'k` would not outlive `'s`
