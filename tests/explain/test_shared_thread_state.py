"""State shared by threads (#14). Real cargo on crates written here.

- A closure sent to a thread captures two `Rc`s, and rustc reports one E0277 per `Rc` at the same
  span, the read-only one first. The story covers both, so the way out is decided by the one holding
  a `RefCell` (not `Sync`): pair mode names `std::sync::Mutex`, never `Arc` alone.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from engine.explain.validation import validate
from modes.rendering import pair_lines
from tests.explain.crates import explain_lib, option_names, story

pytestmark = pytest.mark.slow

# a word counter: a read-only word list and a tally changed by every thread, captured by one closure
TALLY = """use std::cell::RefCell;
use std::collections::HashMap;
use std::rc::Rc;
use std::thread;

pub fn tally(words: Vec<String>, threads: usize) -> HashMap<String, usize> {
    let words = Rc::new(words);
    let counts: Rc<RefCell<HashMap<String, usize>>> = Rc::new(RefCell::new(HashMap::new()));
    let mut hs = Vec::new();
    for t in 0..threads {
        let words = Rc::clone(&words);
        let counts = Rc::clone(&counts);
        hs.push(thread::spawn(move || {
            for w in words.iter().skip(t).step_by(threads) {
                *counts.borrow_mut().entry(w.clone()).or_insert(0) += 1;
            }
        }));
    }
    for h in hs {
        h.join().unwrap();
    }
    let out = counts.borrow().clone();
    out
}
"""


def test_two_rcs_in_one_closure_the_refcell_decides_and_pair_names_the_mutex(
    tmp_path: Path, monkeypatch
) -> None:
    monkeypatch.setenv("RUSTA_CACHE_DIR", str(tmp_path / "cache"))
    stories = explain_lib(tmp_path, "tally", TALLY)
    e = story(stories, TALLY, "hs.push(thread::spawn(move || {", "E0277")
    assert "Rc<Vec<String>>" in e.message  # rustc's first error names the read-only `Rc`
    assert option_names(e)[0] == "share it with Arc and Mutex", option_names(e)
    assert "`std::sync::Mutex`" in e.summary, e.summary
    run = validate([e], tmp_path / "tally")
    text = "\n".join(ln.text for ln in pair_lines(run.explanations[0]))
    assert "Mutex" in text, text
