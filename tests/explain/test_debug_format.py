"""E0277 "`T` doesn't implement `Display`" in a format string, where rustc's note hints `{:?}` but
gives no edit: the placeholder rustc labels becomes Debug's (`{}` -> `{:?}`, `{p}` -> `{p:?}`),
validated, and the fix says the printed text changes form (review I, i14). A type without `Debug`
gets it only together with `derive(Debug)`. Real cargo on small crates written here."""

from __future__ import annotations

import pytest

from engine.explain.validation import validate
from tests.explain.crates import crate_tests_with, explain_lib

pytestmark = pytest.mark.slow

# a collection through `{}`: std gives Vec Debug, not Display
TAGS = """pub fn label(tags: Vec<String>) -> String {
    format!("tags: {}", tags)
}

#[cfg(test)]
mod tests {
    #[test]
    fn lists_them() {
        assert!(super::label(vec!["a".into()]).contains("a"));
    }
}
"""

# a crate type that derives Debug, through an inline `{p}` argument
POINT = """#[derive(Debug)]
pub struct Point {
    pub x: i32,
}

pub fn show(p: Point) -> String {
    format!("at {p}")
}
"""

# neither Display nor Debug: `{:?}` compiles only with `derive(Debug)` added
BARE = """pub struct Bare;

pub fn show(b: Bare) -> String {
    format!("{}", b)
}
"""


def _story(tmp_path, monkeypatch, name: str, src: str):
    monkeypatch.setenv("RUSTA_CACHE_DIR", str(tmp_path / "cache"))
    run = validate(list(explain_lib(tmp_path, name, src)), tmp_path / name)
    return next(e for e in run.explanations if e.code == "E0277")


@pytest.mark.parametrize(
    "name,src,new", [("tags", TAGS, 'format!("tags: {:?}", tags)'), ("point", POINT, 'format!("at {p:?}")')]
)
def test_display_missing_offers_debug_with_its_cost(tmp_path, monkeypatch, name, src, new):
    e = _story(tmp_path, monkeypatch, name, src)
    debug = [f for f in e.fixes if any(new in s for s in f.shows)]
    assert debug, [(f.name, f.shows) for f in e.fixes]
    assert debug[0].validated == "compiles", debug[0].validated
    assert "Debug" in debug[0].name and "changes" in debug[0].name, debug[0].name
    assert "printed text changes" in debug[0].cost, debug[0].cost  # pair mode shows the cost
    assert crate_tests_with(tmp_path, name, debug[0]) == "ok"


def test_a_type_without_debug_gets_debug_only_with_its_derive(tmp_path, monkeypatch):
    e = _story(tmp_path, monkeypatch, "bare", BARE)
    debug = [f for f in e.fixes if f.validated != "fails" and any("{:?}" in s for s in f.shows)]
    assert debug, [(f.name, f.validated, f.shows) for f in e.fixes]
    for f in debug:  # `{:?}` alone does not compile for `Bare`: only with the derive it needs
        assert any("derive(Debug)" in s for s in f.shows), (f.name, f.shows)
