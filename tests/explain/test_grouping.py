"""One root cause, one story: an unresolved name used three times is one explanation."""

from __future__ import annotations

from engine.explain.api import explain_report
from toolbelt.types import CheckReport


def test_unresolved_name_cascade_is_one_story(cascade: CheckReport) -> None:
    stories = [e for e in explain_report(cascade) if "HashMap" in e.message]
    assert len(stories) == 1
    (e,) = stories
    assert len(e.diagnostics) == 3
    assert {d.code_str for d in e.diagnostics} == {"E0433", "E0425"} or {d.code_str for d in e.diagnostics} == {"E0433", "E0412"}
    assert (e.root_cause.file, e.root_cause.line) == ("src/lib.rs", 4)  # the first use
    assert any("share this root cause" in f for f in e.facts)
    # every diagnostic suggests the same import: one patch, one `use` line
    assert e.patch is not None
    assert e.patch.diff.count("+use std::collections::HashMap;") == 1


def test_distinct_mistakes_stay_distinct(cascade: CheckReport, mixed: CheckReport) -> None:
    assert len(explain_report(cascade)) == 3
    codes = [e.code for e in explain_report(mixed)]
    assert codes.count("E0308") == 2  # two mismatches with different origins are two stories
    assert codes.count("E0425") == 1  # `foo` twice on one line is one story
    assert sum(len(e.diagnostics) for e in explain_report(mixed)) == len(
        [d for d in mixed.diagnostics if d.level in ("error", "warning")]
    )
