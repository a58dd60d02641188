"""E0106 where the result comes through one of the crate's own methods: the callee's signature says
what it borrows (#14, review F f01).

The general mistake: a walk over receivers reads `tk.first(text)` as a borrow of the local `tk` and
tells the user no lifetime can fix it, while `first<'t>(&self, text: &'t [u8]) -> &'t [u8]` returns a
borrow of `text`, and one lifetime on `text` is the fix. Real cargo on two crates written here: a
slice through a method on a local, an `Option` through a method and a `map`.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from engine.explain.validation import validate
from engine.syntax.borrow_sources import borrowed_params
from engine.syntax.method_outputs import call_sources
from engine.syntax.owned_local import tail_root_local
from engine.syntax.tree import node_text, parse, preorder
from tests.explain import honesty
from tests.explain.crates import explain_lib

pytestmark = [pytest.mark.slow]

HEAD = """pub struct Tokenizer {
    sep: u8,
}

impl Tokenizer {
    pub fn new(sep: u8) -> Self {
        Tokenizer { sep }
    }

    pub fn first<'t>(&self, text: &'t [u8]) -> &'t [u8] {
        text.split(|b| *b == self.sep).next().unwrap_or(text)
    }

    pub fn sep_byte(&self) -> &u8 {
        &self.sep
    }
}

pub fn head(seps: &[u8], text: &[u8]) -> &[u8] {
    let tk = Tokenizer::new(seps[0]);
    tk.first(text)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn first_field() {
        assert_eq!(head(b",", b"ab,cd"), b"ab");
        let owned = vec![b';'];
        assert_eq!(head(&owned, b"x;y"), b"x");
    }
}
"""

AFTER = """pub struct Finder {
    mark: char,
}

impl Finder {
    pub fn new() -> Finder {
        Finder { mark: ':' }
    }

    pub fn find<'s>(&self, hay: &'s str, upto: usize) -> Option<&'s str> {
        hay.split(self.mark).nth(upto)
    }
}

pub fn after(prefix: &str, hay: &str) -> Option<&str> {
    let f = Finder::new();
    f.find(hay, prefix.len()).map(|s| s.trim())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn value_after_the_mark() {
        assert_eq!(after("k", "k: v"), Some("v"));
        assert_eq!(after("k", "nothing"), None);
    }
}
"""


@pytest.fixture(autouse=True)
def _own_cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("RUSTA_CACHE_DIR", str(tmp_path / "cache"))


def _calls(src: str) -> dict[str, tuple[bool, tuple[int, ...]] | None]:
    tree = parse(src.encode())
    return {node_text(n): call_sources(n) for n in preorder(tree.root_node) if n.type == "call_expression"}


def test_a_method_call_borrows_what_the_methods_signature_ties() -> None:
    calls = _calls(HEAD)
    assert calls["tk.first(text)"] == (False, (0,))  # `'t` is on `text`, not on `&self`
    src = HEAD.replace("tk.first(text)", "tk.sep_byte()")
    assert _calls(src)["tk.sep_byte()"] == (True, ())  # elided with `&self`: the receiver
    # a receiver of another type is not the crate's method, whatever its name
    assert _calls(
        "fn f(v: &mut Vec<u8>) { v.push(1); }\nstruct S;\nimpl S { fn push(&self, x: u8) {} }\n"
    ) == {"v.push(1)": None}
    b = HEAD.encode()
    at = b.index(b"pub fn head")
    assert borrowed_params(b, at) == ("text",)
    assert tail_root_local(b, at) is None  # not "a borrow of the local `tk`"
    own_ref = src.encode()  # `tk.sep_byte()` does borrow the local
    assert tail_root_local(own_ref, own_ref.index(b"pub fn head")) == "tk"


@pytest.mark.parametrize(
    ("name", "src", "narrow"),
    [
        ("head", HEAD, "head<'a>(seps: &[u8], text: &'a [u8]) -> &'a [u8]"),
        ("after", AFTER, "after<'a>(prefix: &str, hay: &'a str) -> Option<&'a str>"),
    ],
)
def test_a_result_from_the_crates_method_gets_the_input_its_signature_ties(
    tmp_path: Path, name: str, src: str, narrow: str
) -> None:
    stories = explain_lib(tmp_path, name, src)
    e = next(x for x in validate(stories, tmp_path / name).explanations if x.code == "E0106")
    said = " ".join([e.summary, e.why, *(f"{o.name} {o.how}" for o in e.options)])
    assert "a local" not in said and "no lifetime annotation" not in said, said
    lead = e.fixes[0]
    assert narrow in " ".join(lead.shows), [(f.name, f.shows) for f in e.fixes]
    assert lead.validated == "compiles" and lead.tests_run == "passed", (lead.validated, lead.tests_run)
    program, quotes = honesty.program_tokens(tmp_path / name), honesty.rustc_quotes(e.diagnostics)
    for s in honesty.shown(e, lambda x, mode: ""):
        assert honesty.judge(e, s, program, quotes), s
