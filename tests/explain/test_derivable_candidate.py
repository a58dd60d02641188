"""E0599 whose headline names the first trait rustc tried ("`Level` is not an iterator" for `.cmp`,
rustc listing `Iterator` first) while its notes list a derivable std trait
the crate's own type lacks ("candidate #1: `Ord`"): the story offers that derive, with the traits it
needs, validated, and never advises giving the type the headline's trait (#14). Real cargo."""

from __future__ import annotations

from pathlib import Path

import pytest

from engine.explain.validation import validate
from tests.explain.crates import explain_lib, story_text

RANKS = """#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Level {
    Trace,
    Info,
    Error,
}

pub struct Line {
    pub level: Level,
    pub text: String,
}

pub fn worst_first(lines: &mut Vec<Line>) {
    lines.sort_by(|a, b| b.level.cmp(&a.level));
}
"""

VERSIONS = """#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Version {
    pub major: u32,
    pub minor: u32,
}

pub struct Release {
    pub version: Version,
    pub name: String,
}

pub fn oldest_first(releases: &mut [Release]) {
    releases.sort_by(|a, b| a.version.cmp(&b.version));
}
"""


@pytest.mark.slow
@pytest.mark.parametrize(
    ("name", "src", "typ"), [("ranks", RANKS, "Level"), ("versions", VERSIONS, "Version")]
)
def test_the_listed_derivable_trait_is_derived(
    tmp_path: Path, monkeypatch, name: str, src: str, typ: str
) -> None:
    monkeypatch.setenv("RUSTA_CACHE_DIR", str(tmp_path / "cache"))
    stories = explain_lib(tmp_path, name, src)
    e0599 = [i for i, s in enumerate(stories) if s.code == "E0599"]
    assert e0599, [(s.code, s.message) for s in stories]
    run = validate(stories, tmp_path / name)
    e = run.explanations[e0599[0]]
    ok = [o for o in e.fixes if o.validated == "compiles" and "Ord" in "".join(o.shows)]
    assert ok, [(o.name, o.validated, o.fails_because) for o in e.fixes]
    added = "".join(ok[0].shows)
    assert all(t in added for t in ("Eq", "PartialOrd", "Ord")), ok[0].patch
    assert typ in ok[0].name, ok[0].name
    words = story_text(e)
    assert "unmet bound the missing trait" not in words and "implement `Iterator`" not in words, words
