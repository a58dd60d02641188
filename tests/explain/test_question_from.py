"""`?` on an error with no `From` into the fn's error (#14): E0271 from `s.parse()?` (rustc reports it
as `<f32 as FromStr>::Err == LoadError`) and E0277 from `f()?` are said in one line as the impl `?`
needs (`impl From<ParseFloatError> for LoadError`, types from rustc's diagnostic), and both an
`impl From` into the enum's message variant and a `map_err` are offered, each compiling and passing
the crate's own test. Real cargo on library crates written here."""

from __future__ import annotations

import pytest

from engine.explain.validation import validate
from tests.explain.crates import crate_tests_with, explain_lib
from tests.explain.test_ownership_transfer import _shown

pytestmark = pytest.mark.slow

ENUM = """use std::fmt;

#[derive(Debug, PartialEq)]
pub enum LoadError {
    Empty,
    Bad(String),
}

impl fmt::Display for LoadError {
    fn fmt(&self, f: &mut fmt::Formatter) -> fmt::Result {
        match self {
            LoadError::Empty => write!(f, "empty"),
            LoadError::Bad(m) => write!(f, "bad: {m}"),
        }
    }
}
"""

WEIGHT = (
    ENUM
    + """
pub fn weight(s: &str) -> Result<f32, LoadError> {
    if s.is_empty() {
        return Err(LoadError::Empty);
    }
    let w: f32 = s.trim().parse()?;
    Ok(w)
}

#[cfg(test)]
mod tests {
    use super::*;
    #[test]
    fn parses() {
        assert_eq!(weight("2.5"), Ok(2.5));
        assert!(matches!(weight("x"), Err(LoadError::Bad(_))));
    }
}
"""
)

LEVEL = (
    ENUM
    + """
fn digits(s: &str) -> Result<u8, std::num::ParseIntError> {
    s.trim().parse()
}

pub fn level(s: &str) -> Result<u8, LoadError> {
    if s.is_empty() {
        return Err(LoadError::Empty);
    }
    let n = digits(s)?;
    Ok(n)
}

#[cfg(test)]
mod tests {
    use super::*;
    #[test]
    fn parses() {
        assert_eq!(level("7"), Ok(7));
        assert!(matches!(level("x"), Err(LoadError::Bad(_))));
    }
}
"""
)


@pytest.mark.parametrize(
    ("name", "src", "code", "src_err"),
    [("weight", WEIGHT, "E0271", "ParseFloatError"), ("level", LEVEL, "E0277", "ParseIntError")],
)
def test_question_names_the_from_impl_and_offers_impl_and_map_err(tmp_path, name, src, code, src_err):
    stories = [s for s in explain_lib(tmp_path, name, src) if s.code == code]
    assert stories, code
    line = next(i for i, ln in enumerate(src.splitlines(), 1) if ")?;" in ln)
    assert stories[0].summary.startswith(
        f"`?` at src/lib.rs:{line} needs `impl From<{src_err}> for LoadError`"
    ), stories[0].summary
    e = validate(stories, tmp_path / name).explanations[0]
    impl = [f for f in e.fixes if f"impl From<std::num::{src_err}> for LoadError" in f.patch]
    map_err = [f for f in e.fixes if "map_err(|e| LoadError::Bad(e.to_string()))?" in "\n".join(f.shows)]
    assert impl and map_err, _shown(e)
    assert impl[0].validated == "compiles" and map_err[0].validated == "compiles", _shown(e)
    # the impl goes into the existing message variant: no new variant, so no match loses a case
    assert "LoadError::Bad(e.to_string())" in impl[0].patch and "+    " not in impl[0].patch.split("impl")[0]
    assert crate_tests_with(tmp_path, name, impl[0]) == "ok"
