"""The item-type chain Rusta reads is the failing call's own receiver chain (#14, review A a11).

rustc's "method call chain" note follows a local back to its `let`, so one note can show two chains:
the one that built `totals` and the one that collects from `totals.iter()`. Real cargo on a new crate
with two chains in one fn (and a chain split over a `let` of the iterator itself, which is one chain):
the Why names the step of the collected chain, study's chain sentence starts at that chain's own
`iter()` (rustc's "is `X` here" label starts a chain), and the syntax layer's receiver chain never
holds another statement's chain."""

from __future__ import annotations

from pathlib import Path

from engine.explain import notes
from engine.syntax.receiver_chain import receiver_chain
from tests.explain.crates import explain_lib, line_of, story

SCORES = """\
use std::collections::HashMap;

pub fn top_scores(scores: &HashMap<String, Vec<u32>>) -> Vec<String> {
    let totals: Vec<(&String, u32)> = scores
        .iter()
        .map(|(name, s)| (name, s.iter().sum()))
        .collect();
    totals.iter().filter(|(_, t)| *t > 10).map(|(name, _)| name).collect()
}

pub fn shouted(words: &[String]) -> Vec<String> {
    let sizes: Vec<usize> = words.iter().map(|w| w.len()).collect();
    let loud = words.iter().map(|w| w.as_str());
    let _n = sizes.len();
    loud.collect()
}
"""


def test_the_chain_walked_is_the_receiver_chain_of_the_failing_collect(tmp_path: Path) -> None:
    stories = explain_lib(tmp_path, "scores", SCORES)
    two = story(stories, SCORES, "map(|(name, _)| name).collect()", "E0277")
    at = line_of(SCORES, "map(|(name, _)| name)")
    assert two.summary.startswith(
        f"`map(|(name, _)| name)` at src/lib.rs:{at} makes each item a `&&String`"
    ), two.summary
    said = notes.chain(two.diagnostics[0])
    assert said is not None
    # the chain starts at `totals.iter()` (items `&(&String, u32)`), not at the `scores.iter()` that built `totals`
    assert said.startswith("Along the chain, `Iterator::Item` is `&(&String, u32)` from `iter()`"), said
    assert "(&String, &Vec<u32>)" not in said and "changes to `&&String` at `map(|(name, _)| name)`" in said

    # one chain over a `let` of the iterator itself: its `map` is the step, the `sizes` chain is not
    let = story(stories, SCORES, "loud.collect()", "E0277")
    at = line_of(SCORES, "let loud")
    assert let.summary.startswith(f"`map(|w| w.as_str())` at src/lib.rs:{at} makes each item a `&str`"), (
        let.summary
    )


def test_receiver_chain_is_the_receiver_and_the_lets_it_starts_from() -> None:
    """The syntax layer gives what the item type can flow through: the receiver, and the value of
    the `let` its root local was bound to; rustc's labels then split it where a new iterator starts
    (`totals.iter()`), and another statement's chain (`sizes`) is never in it."""
    src = SCORES.encode()
    first = src.index(b"collect()\n}")
    ranges = receiver_chain(src, first, first + len(b"collect"))
    assert [r.text.split(".")[0].strip() for r in ranges] == ["totals", "scores"]
    last = src.index(b"loud.collect") + len(b"loud.")
    ranges = receiver_chain(src, last, last + len(b"collect"))
    assert [r.text for r in ranges] == ["loud", "words.iter().map(|w| w.as_str())"]
    assert receiver_chain(src, src.index(b"HashMap<"), src.index(b"HashMap<") + 7) == ()
