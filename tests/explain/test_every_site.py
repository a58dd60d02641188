"""One slip made at several sites of one story, each given its own edit of one kind (rustc's "use
single quotes" at each string pattern; a `map_err` at each `?`), is one fix: the edits are checked
together, and no per-site edit is said not to compile because its siblings were left (#14). Real
cargo on crates written here."""

from __future__ import annotations

from pathlib import Path

import pytest

from engine.explain.validation import validate
from tests.explain.crates import explain_lib

# an or-pattern of string literals matched against a `char`: rustc reports each literal (E0308) and
# suggests single quotes for each one
VOWELS = """pub fn vowels(word: &str) -> usize {
    let mut n = 0;
    for ch in word.chars() {
        match ch {
            "a" | "e" | "i" | "o" | "u" => n += 1,
            _ => {}
        }
    }
    n
}
"""

# `?` on a float parse at two lines of a fn returning the crate's own error, which has no `From`
READINGS = """#[derive(Debug)]
pub enum ReadError {
    Missing,
    Bad(std::num::ParseFloatError),
}

pub fn pair(text: &str) -> Result<(f64, f64), ReadError> {
    let mut it = text.split(',');
    let a: f64 = it.next().ok_or(ReadError::Missing)?.trim().parse()?;
    let b: f64 = it.next().ok_or(ReadError::Missing)?.trim().parse()?;
    Ok((a, b))
}
"""


@pytest.mark.slow
def test_single_quotes_at_every_literal_compile_as_one_fix(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setenv("RUSTA_CACHE_DIR", str(tmp_path / "cache"))
    stories = explain_lib(tmp_path, "vowels", VOWELS)
    assert len(stories) == 1 and len(stories[0].diagnostics) == 5, [s.code for s in stories]
    places = next(f for f in stories[0].facts if "places make this same mistake" in f)
    named = places[places.index("(") + 1 : places.rindex(")")].split(", ")
    assert len(set(named)) == 5, places  # one line, five columns: each place is named apart
    assert "single quotes" in stories[0].summary and "`&` in a" not in stories[0].why, stories[0].why
    run = validate(stories, tmp_path / "vowels")
    lead = run.explanations[0].fixes[0]
    assert lead.validated == "compiles", (lead.validated, lead.fails_because)
    assert "'a' | 'e' | 'i' | 'o' | 'u'" in lead.patch, lead.patch
    said = [o.fails_because for o in run.failed[0] if o.source == "rustc"]
    assert not said, said


@pytest.mark.slow
def test_map_err_at_every_question_mark_is_checked_together(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setenv("RUSTA_CACHE_DIR", str(tmp_path / "cache"))
    stories = explain_lib(tmp_path, "readings", READINGS)
    assert len(stories) == 1 and len(stories[0].diagnostics) == 2, [s.code for s in stories]
    run = validate(stories, tmp_path / "readings")
    wraps = [
        o for o in run.explanations[0].fixes if "ReadError::Bad" in "".join(o.shows) and "impl" not in o.patch
    ]
    assert wraps and all(o.validated == "compiles" for o in wraps), [(o.name, o.validated) for o in wraps]
    assert wraps[0].patch.count("map_err(ReadError::Bad)") == 2, wraps[0].patch
    left = [o.name for o in run.failed[0] if "ReadError::Bad" in "".join(o.shows)]
    assert not left, left
