"""A borrow of a local handed to `thread::spawn` (E0597, "borrowed for `'static`"): "iterate by value,
with into_iter instead of iter" is offered only where a spawn runs once per element of a borrowing
iteration (an adapter on `.iter()` here; a `for` over `.iter()` in test_review8_shapes), never for a
single spawn or a loop over a range, which have no element to move in (#14, j06). Real cargo on
crates written here."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.explain.crates import explain_lib, option_names, story, story_text

pytestmark = pytest.mark.slow

# one thread, and one per number of a range: a `&str` view of a local String goes in
SINGLE = """use std::thread;

pub fn shout(words: Vec<String>) -> usize {
    let joined = words.join(" ");
    let view: &str = &joined;
    let h = thread::spawn(move || view.to_uppercase().len());
    h.join().unwrap()
}

pub fn repeat(word: String, n: usize) -> usize {
    let text = word.repeat(2);
    let view: &str = &text;
    let mut hs = Vec::new();
    for i in 0..n {
        hs.push(thread::spawn(move || view.len() + i));
    }
    hs.into_iter().map(|h| h.join().unwrap()).sum()
}
"""

# one thread per element of a local Vec, through an adapter on `.iter()`
PER_ELEMENT = """use std::thread;

pub fn lengths(n: usize) -> usize {
    let names: Vec<String> = (0..n).map(|i| format!("worker-{i}")).collect();
    let hs: Vec<_> = names.iter().map(|s| thread::spawn(move || s.len())).collect();
    hs.into_iter().map(|h| h.join().unwrap()).sum()
}
"""


def test_no_into_iter_for_a_single_spawn_or_a_range_loop(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setenv("RUSTA_CACHE_DIR", str(tmp_path / "cache"))
    stories = explain_lib(tmp_path, "single", SINGLE)
    for text in ("let view: &str = &joined;", "let view: &str = &text;"):
        e = story(stories, SINGLE, text, "E0597")
        assert "'static" in e.summary, e.summary
        assert "into_iter" not in story_text(e), story_text(e)
        assert option_names(e)[0] == "hand ownership over", option_names(e)
        assert "`move`" in e.options[0].how


def test_into_iter_where_each_element_of_iter_gets_a_thread(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setenv("RUSTA_CACHE_DIR", str(tmp_path / "cache"))
    stories = explain_lib(tmp_path, "per_element", PER_ELEMENT)
    e = story(stories, PER_ELEMENT, "names.iter().map(", "E0597")
    assert option_names(e)[:2] == ["iterate by value", "hand ownership over"], option_names(e)
    assert "into_iter" in e.options[0].how
