"""A trait kept off `dyn` by methods rustc names (E0038), fixed with `where Self: Sized` (real cargo).

Two methods block the vtable in `Token` (one returns `Self`, one is generic): the fix bounds both,
compiles, passes the tests and says its price, that a `dyn Token` can no longer call them. In
`Layer`, the `Self`-returning method is called on a `dyn Layer`: the same fix does not compile and
is not shown.
"""

from __future__ import annotations

import pytest

from engine.explain.validation import validate
from modes.rendering import render_text
from tests.explain import honesty
from tests.explain.crates import apply_fixes, cargo_test, errors_of, explain_lib

pytestmark = pytest.mark.slow

TOKENS = """pub trait Token {
    fn text(&self) -> String;
    fn twin(&self) -> Self;
    fn each_char<F: FnMut(char)>(&self, f: F);
}

#[derive(Clone)]
pub struct Word(pub String);

impl Token for Word {
    fn text(&self) -> String {
        self.0.clone()
    }
    fn twin(&self) -> Self {
        self.clone()
    }
    fn each_char<F: FnMut(char)>(&self, f: F) {
        self.0.chars().for_each(f)
    }
}

pub fn joined(ts: &[Box<dyn Token>]) -> String {
    ts.iter().map(|t| t.text()).collect::<Vec<_>>().join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn joins() {
        let ts: Vec<Box<dyn Token>> = vec![Box::new(Word("a".into())), Box::new(Word("b".into()))];
        assert_eq!(joined(&ts), "a b");
        assert_eq!(Word("c".into()).twin().text(), "c");
    }
}
"""

LAYERS = """pub trait Layer {
    fn depth(&self) -> u32;
    fn deeper(&self) -> Self;
}

pub fn next_depth(l: &dyn Layer) -> u32 {
    l.deeper().depth()
}
"""


def _fixes(tmp_path, name: str, src: str):  # noqa: ANN202
    stories = explain_lib(tmp_path, name, src)
    run = validate(list(stories), tmp_path / name)
    (e,) = [e for e in run.explanations if e.code == "E0038"]
    return e, [f for f in e.fixes if "where Self: Sized" in "".join(f.shows)]


def test_every_method_rustc_names_leaves_the_vtable_in_one_fix(tmp_path, monkeypatch) -> None:
    monkeypatch.setenv("RUSTA_CACHE_DIR", str(tmp_path / "cache"))
    e, sized = _fixes(tmp_path, "tokens", TOKENS)
    assert len(sized) == 1, [f.shows for f in e.fixes]
    fix = sized[0]
    assert fix.shows == (
        "    fn twin(&self) -> Self where Self: Sized;",
        "    fn each_char<F: FnMut(char)>(&self, f: F) where Self: Sized;",
    ), fix.shows
    assert fix.validated == "compiles" and fix.tests_run == "passed", fix
    assert "a `dyn Token` can no longer call them" in fix.cost, fix.cost
    assert "can no longer call them" in render_text(e, "pair")
    program, quotes = honesty.program_tokens(tmp_path / "tokens"), honesty.rustc_quotes(e.diagnostics)
    lies = [s.code for s in honesty.shown(e, render_text) if not honesty.judge(e, s, program, quotes)]
    assert not lies, lies
    root = tmp_path / "tokens"
    apply_fixes(root, fix)
    assert not errors_of(root, tmp_path)
    assert cargo_test(root).returncode == 0


def test_the_bound_is_not_shown_where_a_dyn_value_calls_the_method(tmp_path, monkeypatch) -> None:
    monkeypatch.setenv("RUSTA_CACHE_DIR", str(tmp_path / "cache"))
    e, sized = _fixes(tmp_path, "layers", LAYERS)
    assert not sized, [(f.shows, f.validated) for f in sized]  # tried: the compiler refused it
