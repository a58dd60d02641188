"""A fix rustc suggests is blamed on an error it left or brought at its own place, never on another
story's error with the same words elsewhere in the file (real cargo on crates written here)."""

from __future__ import annotations

from pathlib import Path

import pytest

from engine.explain.blame import line_map
from engine.explain.validation import validate
from tests.explain.crates import explain_lib, line_of, story

# two E0308 "mismatched types" in one file: a trailing `;`, and an `Option<&String>` given a &str
# default, where rustc's `map_or("nobody", |v| v)` still mismatches on its own line
TWO_MISMATCHES = """pub enum Mode {
    Fast,
    Slow,
}

pub fn mode(flag: &str) -> Mode {
    match flag {
        "f" => Mode::Fast,
        _ => Mode::Slow,
    };
}

pub fn name_len(names: &[String]) -> usize {
    let n: &String = names.first().unwrap_or("nobody");
    n.len()
}
"""

# two E0106: the struct's lifetime fix brings a new E0106 where the struct is used without it
TWO_LIFETIMES = """pub struct Word {
    pub text: &str,
    pub at: usize,
}

pub fn pick(a: &str, b: &str) -> &str {
    if a.len() > b.len() { a } else { b }
}

pub fn words<'a>(s: &'a str, sep: &str) -> Vec<Word> {
    s.split(sep).map(|w| Word { text: w, at: 0 }).collect()
}
"""


def test_line_map_moves_lines_through_a_diff() -> None:
    patch = "--- a/src/lib.rs\n+++ b/src/lib.rs\n@@ -2,3 +2,4 @@\n a\n-b\n+c\n+d\n e\n"
    moved = line_map(patch)
    assert [moved("src/lib.rs", n) for n in (1, 2, 3, 4, 9)] == [1, 2, None, 5, 10]
    assert moved("src/other.rs", 3) == 3


@pytest.mark.slow
def test_a_failing_rustc_fix_cites_the_error_at_its_own_line(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setenv("RUSTA_CACHE_DIR", str(tmp_path / "cache"))
    stories = explain_lib(tmp_path, "two_mismatches", TWO_MISMATCHES)
    root = tmp_path / "two_mismatches"
    run = validate(stories, root)
    i = stories.index(story(stories, TWO_MISMATCHES, 'unwrap_or("nobody")', "E0308"))
    reasons = [o.fails_because for o in run.failed[i] if o.source == "rustc"]
    assert reasons, run.failed
    here = f"src/lib.rs:{line_of(TWO_MISMATCHES, 'unwrap_or(')}"
    assert all(here in r for r in reasons), reasons
    assert not any(f"src/lib.rs:{line_of(TWO_MISMATCHES, '-> Mode')}" in r for r in reasons), reasons


@pytest.mark.slow
def test_a_fix_that_moves_the_error_elsewhere_names_the_new_one(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setenv("RUSTA_CACHE_DIR", str(tmp_path / "cache"))
    stories = explain_lib(tmp_path, "two_lifetimes", TWO_LIFETIMES)
    run = validate(stories, tmp_path / "two_lifetimes")
    i = stories.index(story(stories, TWO_LIFETIMES, "pub text: &str", "E0106"))
    checked = run.explanations[i]
    said = [o.fails_because for o in (*checked.fixes, *run.failed[i]) if o.source == "rustc"]
    assert said, checked.fixes
    assert all(f"src/lib.rs:{line_of(TWO_LIFETIMES, 'pub fn pick')}" not in r for r in said), said
    assert any(f"src/lib.rs:{line_of(TWO_LIFETIMES, '-> Vec<Word>')}" in r for r in said), said
