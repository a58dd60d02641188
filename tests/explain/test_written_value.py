"""E0308 where the found expression is a value written out whole (`None`, as a match arm's or an
`if` branch's value) and the others give a plain type: nothing there may be missing, so Rusta tells
no "may be `None`" story and offers no `.unwrap_or_default()` on it (real cargo, two crates)."""

from __future__ import annotations

from pathlib import Path

import pytest

from engine.explain.validation import validate
from engine.syntax.literal_values import sibling_values, written_value
from tests.explain.crates import explain_lib, story, story_text

LEVELS = """pub const QUIET: u8 = 1;

pub fn level(name: &str) -> u8 {
    match name {
        "low" => QUIET,
        "high" => 9,
        _ => None,
    }
}
"""

WIDTH = """pub fn width(cols: Option<usize>, wide: bool) -> usize {
    let base = cols.unwrap_or(80);
    if wide { base * 2 } else { None }
}
"""

# an `Option` that may really be `None`: the missing-value story and its fallback stay
LOOKUP = """pub fn first(xs: &[u32]) -> u32 {
    let v: u32 = xs.first().copied();
    v
}
"""


@pytest.mark.slow
@pytest.mark.parametrize(
    ("name", "src", "at"), [("levels", LEVELS, "_ => None"), ("width", WIDTH, "else { None }")]
)
def test_a_written_none_is_a_wrong_value_not_a_missing_one(
    tmp_path: Path, monkeypatch, name, src, at
) -> None:
    monkeypatch.setenv("RUSTA_CACHE_DIR", str(tmp_path / "cache"))
    stories = explain_lib(tmp_path, name, src)
    e = story(stories, src, at, "E0308")
    said = story_text(e)
    assert "may be `None`" not in said and "missing value" not in said, said
    assert "written out whole" in said, said
    run = validate(stories, tmp_path / name)
    fixes = run.explanations[stories.index(e)].fixes
    assert not any("unwrap" in ln or "expect(" in ln for f in fixes for ln in f.shows), [
        f.shows for f in fixes
    ]
    if name == "levels":  # the constant another arm gives is a candidate
        assert any("_ => QUIET," in ln for f in fixes for ln in f.shows), [f.shows for f in fixes]


@pytest.mark.slow
def test_an_option_from_a_call_keeps_the_missing_value_story(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setenv("RUSTA_CACHE_DIR", str(tmp_path / "cache"))
    stories = explain_lib(tmp_path, "lookup", LOOKUP)
    said = story_text(story(stories, LOOKUP, "xs.first()", "E0308"))
    assert "may be `None`" in said and "written out whole" not in said, said


def test_written_values_by_syntax() -> None:
    for text, whole in [("None", True), ("Option::None", True), ("0", True), ('"x"', True),
                        ("Vec::new()", True), ("vec![]", True), ("xs.first()", False), ("Foo::new(1)", False)]:  # fmt: skip
        src = f"fn f() {{ let _ = {text}; }}".encode()
        start = src.index(text.encode())
        assert written_value(src, start, start + len(text)) is whole, text


def test_sibling_values_are_the_other_arms_constants() -> None:
    src = b"fn f(r: Result<u16, ()>) -> u16 { match r { Ok(0) => DEF, Ok(p) => p, Ok(1) => m::MAX, Err(_) => None } }"
    start = src.index(b"None")
    assert sibling_values(src, start, start + 4) == ["DEF", "m::MAX"]  # `p` is a binding of its own arm
    let_src = b"fn g() -> u8 { let x = None; 0 }"
    at = let_src.index(b"None")
    assert sibling_values(let_src, at, at + 4) == []  # not a match arm
