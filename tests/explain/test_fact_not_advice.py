"""Template text must fit the code in front of it (#14). Four general mistakes, each on a crate
written here and checked with real cargo (clippy where the story is a lint):

- a root cause shown with rustc's help as its label ("(consider making this binding mutable)"):
  advice printed where a cause belongs; the label is the fact behind the help instead;
- a clippy style lint asked "what is rustc protecting you from": a lint protects nothing;
- the ptr_arg Why about `&str` for a `&Vec<T>`/`&mut Vec<T>` parameter: the types come from the
  parameter and the lint's own replacement;
- rustc's arrow into `/rustc/<hash>/library/...:125:0`, a path only rustc's build machine has."""

from __future__ import annotations

from pathlib import Path

import pytest

from engine.explain.api import explain_report
from engine.explain.chain import short_words
from modes.rendering import lines_for
from tests.explain.crates import explain_lib, line_of, write_lib
from toolbelt.cargo_run import run_check

pytestmark = pytest.mark.slow

MUTATIONS = """pub struct Tally {
    seen: Vec<u32>,
}

impl Tally {
    pub fn record(&self, x: u32) {
        self.seen.push(x);
    }
}

pub fn running(xs: &[u32]) -> u32 {
    let acc = 0;
    for x in xs {
        acc += x;
    }
    acc
}

pub fn largest<T>(a: T, b: T) -> T {
    if a > b { a } else { b }
}
"""


def test_a_root_cause_is_labelled_by_a_fact_not_by_rustcs_help(tmp_path: Path) -> None:
    stories = explain_lib(tmp_path, "mutations", MUTATIONS)
    labels = {e.root_cause.line: e.root_cause.label or "" for e in stories}
    assert labels[line_of(MUTATIONS, "let acc = 0;")] == "`acc` is declared without `mut`", labels
    assert "shared `&` reference" in labels[line_of(MUTATIONS, "pub fn record(&self")], labels
    for e in stories:
        assert not (e.root_cause.label or "").lower().startswith("consider"), e.root_cause
        shown = " ".join(ln.text for mode in ("pair", "study") for ln in lines_for(e, mode))
        assert "Root cause" not in shown or "(consider" not in shown, shown


GROWS_NOT = """pub fn scale(xs: &mut Vec<u64>, k: u64) {
    for x in xs.iter_mut() {
        *x *= k;
    }
}
"""

READS = """pub fn joined(words: &Vec<String>) -> usize {
    words.iter().map(|w| w.len()).sum()
}
"""


@pytest.mark.parametrize(("src", "better"), [(GROWS_NOT, "`&mut [u64]`"), (READS, "`&[String]`")])
def test_a_lint_story_asks_the_lints_question_and_its_why_names_the_parameters_types(
    tmp_path: Path, src: str, better: str
) -> None:
    report = run_check(write_lib(tmp_path, "linted", src), tool="clippy", target_dir=tmp_path / "target")
    stories = [e for e in explain_report(report) if e.code == "clippy::ptr_arg"]
    assert len(stories) == 1, [e.code for e in explain_report(report)]
    e = stories[0]
    assert "protecting" not in e.prompt and "ptr_arg" in e.prompt, e.prompt
    assert "`&str`" not in e.why and "`String`s" not in e.why, e.why
    assert better in e.why, e.why


THREADS = """use std::rc::Rc;
use std::thread;

pub fn spread(n: u32) -> u32 {
    let shared = Rc::new(n);
    let h = thread::spawn(move || *shared + 1);
    h.join().unwrap()
}

pub fn owned(xs: &[std::collections::BTreeMap<String, usize>]) -> Vec<std::collections::BTreeMap<String, usize>> {
    xs.iter().collect()
}
"""


def test_no_arrow_into_the_toolchains_build_paths_and_no_word_cut_in_half(tmp_path: Path) -> None:
    report = run_check(write_lib(tmp_path, "threads", THREADS), target_dir=tmp_path / "target")
    stories = explain_report(report)
    assert any("/rustc/" in (d.rendered or "") for e in stories for d in e.diagnostics)  # rustc prints one
    for e in stories:
        shown = "\n".join(ln.text for ln in lines_for(e, "pair", with_rustc=True))
        assert "/rustc/" not in shown, shown
    cut = [short_words(d) for d in report.diagnostics if len(" ".join(d.message.split())) > 90]
    assert cut, [d.message for d in report.diagnostics]  # rustc's E0277 on `collect` is long
    for d in report.diagnostics:
        words = short_words(d)
        msg = words.rsplit(" at ", 1)[0]
        if msg.endswith("..."):
            assert msg.count("`") % 2 == 0, words
            kept = msg[: -len("...")].strip()
            assert kept.split()[-1] in d.message.split(), words  # a whole word of rustc's, not half of one
