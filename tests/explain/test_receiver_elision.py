"""A returned borrow of a local that only exists because a method's output elision ties its results
to `&self`, while they come from another parameter, is rooted at that method's signature (#14).
Real cargo on crates written here.

The general mistake: E0515 answered with "return owned data" in the caller, when the caller is right
and the method's signature says the wrong input: `fn head(&self, text: &str) -> &str` reads `text`.
"""

from __future__ import annotations

import pytest

from engine.edits import apply_edits
from engine.explain.validation import validate
from tests.explain.crates import errors_of, explain_lib, line_of

pytestmark = pytest.mark.slow

TOKENS = """pub struct Tokenizer {
    lower: bool,
}

impl Tokenizer {
    pub fn new(lower: bool) -> Self {
        Tokenizer { lower }
    }

    pub fn head(&self, text: &str) -> &str {
        let w = text.split(' ').next().unwrap_or("");
        if self.lower { w.trim() } else { w }
    }
}

pub fn heads(texts: &[String]) -> Vec<&str> {
    let mut out = Vec::new();
    for t in texts {
        let tk = Tokenizer::new(true);
        out.push(tk.head(t));
    }
    out
}
"""

# the local made once before the loop, with a struct literal
PREFIX = """pub struct Cut {
    n: usize,
}

impl Cut {
    pub fn prefix(&self, word: &str) -> &str {
        &word[..self.n.min(word.len())]
    }
}

pub fn prefixes(words: &[String]) -> Vec<&str> {
    let c = Cut { n: 2 };
    let mut out = Vec::new();
    for w in words {
        out.push(c.prefix(w));
    }
    out
}
"""


@pytest.mark.parametrize(
    ("crate", "src", "method", "param", "sig"),
    [
        ("tokens", TOKENS, "head", "text", "pub fn head(&self"),
        ("prefix", PREFIX, "prefix", "word", "pub fn prefix(&self"),
    ],
)
def test_the_root_is_the_methods_elided_output_not_the_caller(
    tmp_path, crate, src, method, param, sig
) -> None:
    e = next(e for e in explain_lib(tmp_path, crate, src) if e.code == "E0515")
    assert f"`{method}` returns `&str` with the lifetime elided to its receiver" in e.summary, e.summary
    assert f"come from its parameter `{param}`" in e.summary
    assert e.root_cause.line == line_of(src, sig) != e.primary.line
    names = [o.name for o in e.options]
    assert names == ["name the output lifetime"], names


def test_the_returned_borrows_fix_is_the_methods_signature_and_clears_both_errors(tmp_path) -> None:
    stories = explain_lib(tmp_path, "tokens2", TOKENS)
    run = validate(list(stories), tmp_path / "tokens2")
    i = next(i for i, e in enumerate(run.explanations) if e.code == "E0515")
    lead = run.explanations[i].fixes[0]
    assert lead.validated == "compiles", (lead.name, lead.fails_because)
    assert "    pub fn head<'a>(&self, text: &'a str) -> &'a str {" in lead.shows, lead.shows
    other = next(e for j, e in enumerate(run.explanations) if j != i and e.fixes)
    assert set(other.fixes[0].edits) == set(lead.edits)  # the lifetime error's fix is the same edit
    root = tmp_path / "tokens2"
    path = root / "src" / "lib.rs"
    path.write_bytes(apply_edits(path.read_bytes(), lead.edits))
    assert not errors_of(root, tmp_path)
