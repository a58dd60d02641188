"""Options and stories decided by facts, not by the error code alone. Real cargo on small crates.

- An option that is impossible for this program is not shown: no "implement the operator" for
  `f64 * f32` (the crate owns neither type nor trait), no "relax the bound" when the bound is std's;
  both appear when the crate owns what they would change.
- An error rustc derives from another on the same line (unmet bounds on an iterator adapter; an
  operator's missing impl after a type mismatch) joins that error's story.
- E0308's why follows the shape the syntax layer sees (the right operand of an operator) instead of
  listing places the expectation might come from.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from modes.rendering import render_text
from tests.explain.crates import explain_lib, line_of

pytestmark = pytest.mark.slow

SRC = """pub struct Point { pub x: i32 }
pub struct Celsius(pub f64);

pub fn biggest(ps: &[Point]) -> Option<Point> {
    ps.iter().copied().max_by_key(|p| p.x)
}

pub fn scale(a: f32, b: f64) -> f64 {
    b * a
}

pub fn total(start: u64, items: &[u8]) -> u64 {
    start + items.len()
}

pub fn first_word(s: &str) -> Result<String, String> {
    let w = s.split(' ').next()?;
    Ok(w.to_string())
}

pub fn label<T: std::fmt::Display>(t: T) -> String { format!("{t}") }
pub fn show() -> String { label(Celsius(1.0)) }

async fn fetch() -> u32 { 7 }
pub fn sync_caller() -> u32 { let n: u32 = fetch(); n }
pub async fn async_caller() -> u32 { let n: u32 = fetch(); n }

pub fn stock(m: &std::collections::HashMap<String, u32>) -> u32 { let n: u32 = m.get("a"); n }
pub fn name(m: &std::collections::HashMap<u8, String>) -> Option<String> { m.get(&1) }
"""


def _line(text: str) -> int:
    return line_of(SRC, text)


@pytest.fixture(scope="module")
def stories(tmp_path_factory: pytest.TempPathFactory):
    return explain_lib(tmp_path_factory.mktemp("gated"), "gated", SRC)


def _at(stories, line: int):
    return next(e for e in stories if e.primary.line == line)


def test_an_adapter_whose_bounds_fail_joins_the_missing_trait_story(stories) -> None:
    e = _at(stories, 5)
    assert e.code == "E0277" and {d.code_str for d in e.diagnostics} == {"E0277", "E0599"}
    assert any("follows from this error" in f for f in e.facts)
    assert not any(s.code == "E0599" and s.primary.line == 5 for s in stories if s is not e)


@pytest.mark.parametrize("line", [9, 13])
def test_an_operator_mismatch_is_one_story_and_its_why_names_the_operator(stories, line: int) -> None:
    e = _at(stories, line)
    assert e.code == "E0308" and len(e.diagnostics) == 2
    assert "operand" in e.why and "annotation, a return type or a parameter" not in e.why
    names = [o.name for o in e.options]
    assert "implement the operator" not in names and "implement or derive it" not in names


def test_relax_the_bound_only_when_the_bound_is_the_crates(stories) -> None:
    own = _at(stories, 22)
    assert "relax the bound" in [o.name for o in own.options]
    std = _at(stories, 5)
    assert "relax the bound" not in [o.name for o in std.options]


def test_question_mark_on_an_option_offers_an_error_not_an_impl(stories) -> None:
    e = _at(stories, 17)
    names = [o.name for o in e.options]
    assert names[0] == "give `None` an error" and "implement or derive it" not in names
    assert "the trait`" not in e.prompt
    assert "`.ok_or(...)?`" in render_text(e, mode="pair")


def test_a_future_where_a_value_is_expected_offers_what_the_context_allows(stories) -> None:
    sync = _at(stories, _line("pub fn sync_caller"))
    assert "future" in sync.summary
    assert [o.name for o in sync.options] == ["run it on an executor"]  # no `.await` in a plain fn
    inside = _at(stories, _line("pub async fn async_caller"))
    assert [o.name for o in inside.options] == ["await it"]
    assert "Why: " in render_text(sync, mode="pair")  # Rusta's reason, since rustc gives none there


def test_an_option_where_a_value_is_expected_says_what_none_means_but_not_for_option_to_option(
    stories,
) -> None:
    plain = _at(stories, _line("pub fn stock"))
    assert "may be `None`" in plain.summary and "fall back to a value" in [o.name for o in plain.options]
    both = _at(stories, _line("pub fn name"))
    assert "may be `None`" not in both.summary
    assert "fall back to a value" not in [o.name for o in both.options]


def test_an_operator_on_the_crates_own_type_offers_an_impl_never_a_derive_of_arithmetic(
    tmp_path: Path,
) -> None:
    src = (
        "pub struct Meters(pub f64);\npub fn longer(m: Meters) -> Meters { m + 1.0 }\n"
        "pub fn shorter(m: Meters) -> Meters { m - Meters(1.0) }\n"
    )
    stories = [e for e in explain_lib(tmp_path, "ops", src) if e.code == "E0369"]
    assert len(stories) == 2
    for e in stories:
        names = [o.name for o in e.options]
        assert names[0] == "implement the operator" and "derive or implement the trait" not in names
        assert "cannot be derived" in e.options[0].how


def test_question_mark_on_a_future_says_await_not_from(tmp_path: Path) -> None:
    src = (
        "async fn load(id: u8) -> Result<u8, String> { Ok(id) }\n"
        "pub async fn twice(id: u8) -> Result<u8, String> { let v = load(id)?; Ok(v * 2) }\n"
    )
    (e,) = explain_lib(tmp_path, "qfut", src)
    assert "future" in e.summary and "From" not in e.summary
    assert [o.name for o in e.options] == ["await, then `?`"]


def test_a_signature_a_trait_imposes_is_not_offered_for_change(tmp_path: Path) -> None:
    src = (
        "use std::fmt;\npub struct P { pub x: i32 }\n"
        "impl fmt::Display for P {\n"
        "    fn fmt(&self, f: &mut fmt::Formatter) -> fmt::Result {\n"
        '        write!(f, "{}", self.x);\n    }\n}\n'
        "pub fn width(s: &str) -> u32 {\n    s.len()\n}\n"
    )
    stories = {e.primary.line: e for e in explain_lib(tmp_path, "imposed", src)}
    fmt = next(e for line, e in stories.items() if line in (4, 5))
    assert "change the declaration" not in [o.name for o in fmt.options]
    free = stories[9]
    assert "change the declaration" in [o.name for o in free.options]  # the crate's own fn may change
