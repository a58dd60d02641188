"""When every fix tried on a story failed the crate's tests, an untested fix must not lead ahead of
them: pair mode would show it first and `--apply` take it, though nobody ran it (review O, o09: it
then failed on apply). The lead is run too (`testing.LEAD_EXTRA`). Real cargo on a small crate
written here whose test no offered conversion satisfies."""

from __future__ import annotations

import pytest

from engine.explain.validation import validate
from tests.explain.crates import explain_lib

pytestmark = pytest.mark.slow

# `?` into an enum whose String variants are named for nothing of the error's kind: map_err and
# impl From are offered for both, and the test wants the input kept in `Other`, which none does
LEVELS = """#[derive(Debug, PartialEq)]
pub enum LevelError {
    Missing(String),
    Other(String),
}

pub fn level(s: &str) -> Result<u8, LevelError> {
    if s.is_empty() {
        return Err(LevelError::Missing(String::new()));
    }
    let n = s.trim().parse::<u8>()?;
    Ok(n)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keeps_the_input() {
        assert_eq!(level("7"), Ok(7));
        assert_eq!(level("x"), Err(LevelError::Other("x".into())));
    }
}
"""


def test_an_untested_fix_does_not_lead_tested_ones(tmp_path, monkeypatch):
    monkeypatch.setenv("RUSTA_CACHE_DIR", str(tmp_path / "cache"))
    run = validate(list(explain_lib(tmp_path, "levels", LEVELS)), tmp_path / "levels")
    e = next(e for e in run.explanations if e.code == "E0277")
    seen = [(f.name, f.validated, f.tests_run, f.untested) for f in e.fixes]
    assert sum(1 for f in e.fixes if f.tests_run == "failed") >= 3, seen
    lead = e.fixes[0]
    assert not lead.untested and lead.tests_run, seen
