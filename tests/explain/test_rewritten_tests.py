"""A fix that is green only because it rewrote the tests earns no ✓ (#14, reviews I and O): the
library's error is answered, and a later step edits a test assertion to fit the new type, so "the
crate's tests pass" proves nothing. Where the story's own error sits in test code, editing the test
is the fix and keeps its ✓. Real cargo on library crates written here."""

from __future__ import annotations

import pytest

from engine.explain.validation import validate
from tests.explain.crates import explain_lib

pytestmark = pytest.mark.slow

SHOUT = """pub struct Entry {
    pub level: String,
}

impl Entry {
    /// The entry's level, upper-cased, when it has one.
    pub fn shout(&self) -> Option<&str> {
        if self.level.is_empty() {
            return None;
        }
        let up = self.level.to_uppercase();
        Some(&up)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shouts() {
        let e = Entry { level: "warn".into() };
        assert_eq!(e.shout(), Some("WARN"));
    }
}
"""

IN_TEST = """pub fn total(xs: &[u32]) -> u32 {
    xs.iter().sum()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sums() {
        let xs = vec![1, 2];
        xs.push(3);
        assert_eq!(total(&xs), 6);
    }
}
"""


def test_a_fix_green_only_through_its_edits_to_the_tests_is_not_ticked(tmp_path) -> None:
    stories = [s for s in explain_lib(tmp_path, "shout", SHOUT) if s.code == "E0515"]
    assert stories
    e = validate(stories, tmp_path / "shout").explanations[0]
    rewriting = [f for f in e.fixes if "also rewrites" in f.cost]
    assert rewriting, [(f.name, f.cost) for f in e.fixes]
    for f in rewriting:
        assert f.rewrites_tests and not f.ticked, f
        if f.tests_run == "passed":
            assert (
                "pass only as it rewrites them" in f.state_words and "tests pass with it" not in f.state_words
            )


def test_a_fix_of_an_error_in_test_code_may_edit_the_test(tmp_path) -> None:
    stories = [s for s in explain_lib(tmp_path, "in_test", IN_TEST) if s.code == "E0596"]
    assert stories
    e = validate(stories, tmp_path / "in_test").explanations[0]
    lead = e.fixes[0]
    assert "let mut xs" in "\n".join(lead.shows), lead
    assert not lead.rewrites_tests and lead.validated == "compiles", lead
