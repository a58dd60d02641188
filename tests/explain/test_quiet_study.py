"""Study mode without noise: diagnostics of one cause are one story, whatever order rustc reports
them in; a section an earlier story said word for word is one line that points at it; an `--explain`
quote never ends on the colon that introduced the example it cut; a rename into a question
(`.sorted()` -> `.is_sorted()`) carries its change of meaning. Real cargo on crates written here."""

from __future__ import annotations

import pytest

from engine.explain.references import explain_passage, explain_text
from modes.rendering import lines_for
from modes.study import Shown
from tests.explain.crates import explain_lib

pytestmark = [pytest.mark.slow, pytest.mark.xdist_group("quiet-study")]

ONE_CAUSE = """pub fn span(xs: &[u32]) -> u32 {
    let bounds = (xs[0], xs[xs.len() - 1]);
    bounds[1] - bounds[0]
}

fn total(lens: &[usize]) -> usize {
    lens.iter().sum()
}

pub fn count(text: &str) -> usize {
    let lens = text.split(' ').map(|w| w.len()).collect();
    total(&lens)
}

pub trait Node {
    fn label(&self) -> String;
    fn tag<T: ToString>(&self, t: T) -> Box<dyn Node>;
}

pub struct Leaf;

impl Node for Leaf {
    fn label(&self) -> String {
        "leaf".into()
    }
    fn tag<T: ToString>(&self, _t: T) -> Box<dyn Node> {
        Box::new(Leaf)
    }
}

pub fn all(v: Vec<Box<dyn Node>>) -> Vec<String> {
    v.iter().map(|n| n.label()).collect()
}
"""

TWO_LIFETIMES = """pub struct Span {
    pub text: &str,
}

pub struct Pick {
    pub word: &str,
    pub at: usize,
}

pub fn longer(a: &str, b: &str) -> &str {
    if a.len() > b.len() { a } else { b }
}
"""

ITERTOOLS_NAME = """use std::collections::HashMap;

pub fn sizes(groups: &HashMap<u8, Vec<u8>>) {
    let counts = groups.values().map(|g| g.len()).sorted();
    println!("{:?}", counts);
}
"""


def test_one_cause_is_one_story_whatever_the_order(tmp_path) -> None:
    stories = explain_lib(tmp_path, "one_cause", ONE_CAUSE)
    by_code: dict[str, list] = {}
    for e in stories:
        by_code.setdefault(e.code or "", []).append(e)
    # two indexes into one tuple; `[usize]` unsized at the `let` and at `collect`; one trait not
    # dyn compatible at every `dyn`, also where rustc suggests `Self`
    assert [len(e.diagnostics) for e in by_code["E0608"]] == [2]
    assert len(by_code["E0277"]) == 1 and len(by_code["E0277"][0].diagnostics) == 3
    (dyn,) = by_code["E0038"]
    assert "generic type parameters" in dyn.root_cause_reason
    # the question shows rustc's text once for the same message at two places; the list names both
    text = "\n".join(ln.text for ln in lines_for(by_code["E0608"][0], "study"))
    assert text.count("cannot index into a value of type") == 2  # the heading and the list line
    assert "src/lib.rs:3: cannot index into a value of type `(u32, u32)` (x2)" in text


def test_a_section_said_before_is_pointed_at(tmp_path) -> None:
    stories = [e for e in explain_lib(tmp_path, "two_lifetimes", TWO_LIFETIMES) if e.code == "E0106"]
    assert len(stories) >= 2
    shown = Shown()
    texts = []
    for i, e in enumerate(stories, 1):
        shown.n = i
        texts.append("\n".join(ln.text for ln in lines_for(e, "study", shown=shown)))
    assert "Invariant" in texts[0] and "References" in texts[0]
    later = texts[-1]
    assert "As in #1:" in later and "the invariant" in later and "the references" in later
    assert "\nInvariant\n" not in later and "\nReferences\n" not in later
    alone = "\n".join(ln.text for ln in lines_for(stories[-1], "study"))  # a story on its own says all
    assert "As in #" not in alone and "\nInvariant\n" in alone


@pytest.mark.parametrize("code", ["E0038", "E0599", "E0106", "E0277", "E0502", "E0308", "E0382", "E0107"])
def test_an_explain_quote_ends_on_a_sentence_that_says_something(code) -> None:
    quote = explain_passage(explain_text(code))
    assert not quote.rstrip().endswith(":") and "[^" not in quote and "(see below)" not in quote


def test_a_rename_into_a_question_is_flagged_and_the_std_way_is_said(tmp_path) -> None:
    (e,) = [e for e in explain_lib(tmp_path, "itertools_name", ITERTOOLS_NAME) if e.code == "E0599"]
    rename = next(f for f in e.fixes if "is_sorted" in f.patch)
    assert "`.is_sorted()` answers a question, a `bool`" in rename.cost
    names = [o.name for o in e.options]
    assert "fix the name" not in names and "collect, then sort" in names
    assert "itertools" in e.why
