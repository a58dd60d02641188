"""E0596 through a `&self` receiver: the story says the receiver is a `&` reference and quotes
rustc's fix whole (#14, review P on p15).

- "`*self` is declared without `mut`" was said of a `&self` receiver: no binding is declared there;
  the `&` reads only, and the fix is `&mut self`.
- "rustc's `mut self` alone is not enough" quoted half of rustc's `&mut self`.

Real cargo on a library crate written here (another program than the reviewer's crate).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from engine.explain.validation import validate
from modes.tokendiff import changed
from modes.verdicts import pair_verdict_lines
from tests.explain.crates import explain_lib, story

pytestmark = pytest.mark.slow

METER = """pub struct Meter {
    readings: Vec<u32>,
}

impl Meter {
    fn push(&mut self, v: u32) {
        self.readings.push(v);
    }

    pub fn record(&self, v: u32) -> usize {
        self.push(v);
        self.readings.len()
    }
}

pub fn count_two() -> usize {
    let m = Meter { readings: Vec::new() };
    m.record(1);
    m.record(2)
}
"""


def test_a_shared_receiver_is_not_called_a_binding_without_mut(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setenv("RUSTA_CACHE_DIR", str(tmp_path / "cache"))
    stories = explain_lib(tmp_path, "meter", METER)
    e0 = story(stories, METER, "self.push(v)", "E0596")
    assert "declared without `mut`" not in e0.summary, e0.summary
    assert "a `&` receiver" in e0.summary, e0.summary
    run = validate(list(stories), tmp_path / "meter")
    i = stories.index(e0)
    e, failed = run.explanations[i], run.failed[i]
    said = " ".join(ln.text for ln in pair_verdict_lines(e, failed))
    assert "rustc's `&mut self` alone is not enough" in said, said  # and `let m` -> `let mut m` next
    assert "`mut self`" not in said.replace("`&mut self`", ""), said
    receiver = [f for f in (*e.fixes, *failed) if "&mut self" in f.patch]
    assert receiver, [f.patch for f in (*e.fixes, *failed)]


def test_mut_added_to_a_reference_is_quoted_with_its_ampersand() -> None:
    assert changed("fn f(&self) {", "fn f(&mut self) {") == ("", "&mut self")
    assert changed("let n = 1;", "let mut n = 1;") == ("", "mut n")  # a binding: `mut` alone
