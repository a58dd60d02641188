"""Errors of one code whose rustc suggestions share an edit (three E0106 on one struct's fields,
each suggestion adding the same `<'a>`) are one mistake: their union is checked as one fix, and no
suggestion is said to fail because a sibling error remains (real cargo on a crate written here)."""

from __future__ import annotations

from pathlib import Path

import pytest

from engine.explain.validation import validate
from tests.explain.crates import explain_lib

# one struct, three references without a lifetime: rustc reports three E0106, each suggesting
# `Token<'a>` plus its own `&'a`
THREE_REFS = """pub struct Token {
    pub kind: &str,
    pub span: (&str, &str),
}

pub fn width(t: &Token) -> usize {
    t.kind.len() + t.span.0.len() + t.span.1.len()
}
"""


@pytest.mark.slow
def test_sibling_suggestions_are_checked_as_one_fix(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setenv("RUSTA_CACHE_DIR", str(tmp_path / "cache"))
    stories = explain_lib(tmp_path, "three_refs", THREE_REFS)
    e0106 = [i for i, s in enumerate(stories) if s.diagnostics[0].code_str == "E0106"]
    # one story since rustc's help declares the lifetime at one place for all three
    # (`grouping.lifetime_site`; review H h04 read three stories for one struct as noise)
    assert len(e0106) == 1 and len(stories[e0106[0]].diagnostics) == 3, [
        (s.code, len(s.diagnostics)) for s in stories
    ]
    run = validate(stories, tmp_path / "three_refs")
    for i in e0106:
        lead = run.explanations[i].fixes[0]
        assert lead.validated == "compiles", (lead.validated, lead.fails_because)
        assert lead.patch.count("&'a str") == 3, lead.patch
        said = [o.fails_because for o in run.failed[i] if o.source == "rustc"]
        assert not said, said
