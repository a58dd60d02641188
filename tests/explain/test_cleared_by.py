"""A story another story's ✓ fix clears through a signature its code calls (#14, review B: b07).

The shape: a method's elided return lifetime ties its result to `&mut self` (`next_field`), and a
caller keeps that result after the receiver dies (E0597); a second error elsewhere (E0106 on
`wider`) gets a fix that, finished in steps, also writes `next_field`'s return lifetime. The
E0597 story then has its root cause at that signature and no ways out in words that restructure
the caller, in the returned stories, in --json and in pair mode's line after the check. Real cargo on
a crate written here.
"""

from __future__ import annotations

import re

import msgspec
import pytest

from engine.explain.cleared_by import called_signature
from engine.explain.jsonview import to_dict
from engine.explain.validation import validate
from modes.verdicts import goes_with_line
from tests.explain import honesty
from tests.explain.crates import explain_lib

pytestmark = pytest.mark.slow

FIELDS = """/// Splits a line into comma-separated fields, borrowed from the line.
pub struct Fields<'a> {
    line: &'a str,
    at: usize,
}

impl<'a> Fields<'a> {
    pub fn new(line: &'a str) -> Self {
        Fields { line, at: 0 }
    }

    /// The next field, borrowed from the line.
    pub fn next_field(&mut self) -> Option<&str> {
        if self.at > self.line.len() {
            return None;
        }
        let rest = &self.line[self.at..];
        let end = rest.find(',').unwrap_or(rest.len());
        self.at += end + 1;
        Some(&rest[..end])
    }
}

/// The wider of two fields.
pub fn wider(x: &str, y: &str) -> &str {
    if y.len() > x.len() { y } else { x }
}

/// The widest field of a line.
pub fn widest(line: &str) -> &str {
    let mut f = Fields::new(line);
    let mut best = "";
    while let Some(field) = f.next_field() {
        best = wider(best, field);
    }
    best
}

#[cfg(test)]
mod tests {
    #[test]
    fn first_field_outlives_the_splitter() {
        let line = String::from("id,name");
        let first = {
            let mut f = super::Fields::new(&line);
            f.next_field().unwrap()
        };
        assert_eq!(first, "id");
        assert_eq!(super::widest("a,bcd,ef"), "bcd");
    }
}
"""


def test_the_cleared_story_is_rooted_at_the_signature_the_fix_changes(tmp_path):
    stories = explain_lib(tmp_path, "fields", FIELDS)
    run = validate(stories, tmp_path / "fields")
    by_code = {e.code: (i, e) for i, e in enumerate(run.explanations)}
    (i, x), (j, y) = by_code["E0106"], by_code["E0597"]
    lead = x.fixes[0]
    assert lead.ticked and j in (*lead.clears, *lead.also_clears), lead
    sig = FIELDS.splitlines().index("    pub fn next_field(&mut self) -> Option<&str> {") + 1
    assert y.goes_with == i + 1 and y.root_cause.line == sig, (y.goes_with, y.root_cause)
    assert "`next_field`" in y.root_cause_reason and not y.options, (y.root_cause_reason, y.options)
    assert to_dict(y)["root_cause"]["line"] == sig
    line = goes_with_line(y)
    assert line is not None and line.text.startswith(f"Root cause: src/lib.rs:{sig}, "), line
    program, quotes = honesty.program_tokens(tmp_path / "fields"), honesty.rustc_quotes(y.diagnostics)
    for code in re.findall(r"`([^`]+)`", line.text):
        assert honesty.judge(y, honesty.Snippet(code=code, where="text"), program, quotes), code
    # only `wider`'s edit: no call in the E0597 story's spans reaches it, so no cause is claimed
    wider = msgspec.structs.replace(lead, edits=tuple(e for e in lead.edits if e.start > len(FIELDS) // 3))
    read = lambda rel: (tmp_path / "fields" / rel).read_bytes()  # noqa: E731
    assert called_signature(y, wider, read) is None
    assert called_signature(y, lead, read) is not None
