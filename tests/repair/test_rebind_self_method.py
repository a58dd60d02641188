"""A `self`-taking method called as a statement in a loop (E0382): `q = q.push(x);` (with `let mut`)
is a compiling option that ranks before any clone, which would drop every call's change. Real cargo
on a crate written here."""

from __future__ import annotations

from pathlib import Path

from engine.explain.validation import validate
from tests.explain.crates import explain_lib, story

SRC = """#[derive(Clone, Debug, Default)]
pub struct Query {
    pub terms: Vec<String>,
}

impl Query {
    pub fn term(mut self, t: &str) -> Self {
        self.terms.push(t.to_string());
        self
    }
}

pub fn query_of(words: &[&str]) -> usize {
    let q = Query::default();
    for w in words {
        q.term(w);
    }
    q.terms.len()
}
"""


def test_a_self_method_in_a_loop_is_rebound_before_any_clone(tmp_path: Path) -> None:
    e = story(explain_lib(tmp_path, "query", SRC), SRC, "q.terms.len()", "E0382")
    (checked,) = validate([e], tmp_path / "query").explanations
    shows = [" ".join(f.shows) for f in checked.fixes]
    rebind = next(i for i, s in enumerate(shows) if "q = q.term(w);" in s)
    assert "let mut q = Query::default();" in shows[rebind]
    assert checked.fixes[rebind].validated == "compiles"
    assert all(i > rebind for i, f in enumerate(checked.fixes) if f.kind == "clone")
