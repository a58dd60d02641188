"""A write through a shared `&` borrow: the root cause names the borrow, never a binding "declared
without `mut`" (#14, review D on d12).

rustc's help inserts `mut ` right after a `&` (`for t in &tallies` -> `&mut tallies`, `&self` ->
`&mut self`). Read as "make this binding mutable", it became "`self` is declared without `mut`",
which is false: `mut self` would not help. The fact is that the place is reached through a `&`,
and E0596's heading says so rather than "mutable borrow of an immutable binding".

Real cargo on a library crate written here (another program than the reviewer's crate).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.explain.crates import explain_lib, line_of, story

pytestmark = pytest.mark.slow

TALLY = """pub struct Board {
    marks: Vec<u8>,
    rounds: u32,
}

impl Board {
    fn next_round(&mut self) {
        self.rounds += 1;
    }

    pub fn clear(&self) {
        self.next_round();
    }
}

pub fn double(seed: u32) -> u32 {
    let mut tallies = vec![seed, seed + 1];
    for t in &tallies {
        *t *= 2;
    }
    tallies.iter().sum()
}
"""


def test_a_write_through_a_shared_borrow_names_the_borrow(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setenv("RUSTA_CACHE_DIR", str(tmp_path / "cache"))
    stories = explain_lib(tmp_path, "tally", TALLY)
    loop = story(stories, TALLY, "*t *= 2", "E0594")
    assert loop.root_cause.line == line_of(TALLY, "for t in &tallies")
    assert loop.root_cause.label == "`&tallies` is a shared `&` borrow", loop.root_cause.label
    assert "declaration" not in loop.root_cause_reason, loop.root_cause_reason
    recv = story(stories, TALLY, "self.next_round()", "E0596")
    assert recv.root_cause.line == line_of(TALLY, "pub fn clear(&self)")
    assert "the `&self` receiver" in (recv.root_cause.label or ""), recv.root_cause.label
    assert "not `mut`" not in recv.root_cause_reason, recv.root_cause_reason
    assert recv.title == "mutable borrow through a shared `&` reference", recv.title
    for e in (loop, recv):
        assert "declared without" not in (e.root_cause.label or ""), e.root_cause.label
