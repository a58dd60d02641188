"""References without a lifetime in one item's declaration are one story: rustc's help declares the
one lifetime at the same place for each (`grouping.lifetime_site`), and one edit fixes all of them
(real cargo on crates written here)."""

from __future__ import annotations

from pathlib import Path

import pytest

from engine.explain.validation import validate
from tests.explain.crates import explain_lib, line_of

# a struct with three borrowed fields, and a fn of its own with one missing lifetime
RECORD = """pub struct Record {
    pub id: &str,
    pub tags: Vec<&str>,
    pub note: Option<&str>,
}

pub fn first(a: &str, b: &str) -> &str {
    if a.is_empty() { b } else { a }
}
"""

# an enum whose variants borrow: one lifetime on the enum, for every variant
TOKEN = """pub enum Token {
    Word(&str),
    Pair(&str, &str),
}

pub fn width(t: &Token) -> usize {
    match t {
        Token::Word(w) => w.len(),
        Token::Pair(a, b) => a.len() + b.len(),
    }
}
"""


@pytest.mark.slow
@pytest.mark.parametrize(
    ("name", "src", "item", "fields"),
    [("record", RECORD, "pub struct Record", 3), ("token", TOKEN, "pub enum Token", 3)],
)
def test_one_item_s_missing_lifetimes_are_one_story_with_one_fix(
    tmp_path: Path, monkeypatch, name: str, src: str, item: str, fields: int
) -> None:
    monkeypatch.setenv("RUSTA_CACHE_DIR", str(tmp_path / "cache"))
    stories = explain_lib(tmp_path, name, src)
    decl = line_of(src, item)
    mine = [e for e in stories if e.root_cause.line == decl]
    assert len(mine) == 1, [(e.code, e.primary.line, e.root_cause.line) for e in stories]
    e = mine[0]
    assert len(e.diagnostics) == fields and {d.code_str for d in e.diagnostics} == {"E0106"}
    # a fn's own missing lifetime is a story of its own
    assert all(x is e or x.root_cause.line != decl for x in stories)
    run = validate(stories, tmp_path / name)
    done = run.explanations[stories.index(e)]
    lead = done.fixes[0]
    assert lead.validated == "compiles", done.fixes
    shown = " ".join(lead.shows)
    assert shown.count("<'a>") == 1 and shown.count("&'a str") == fields, lead.shows
