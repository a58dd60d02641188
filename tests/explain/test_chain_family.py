"""A fix finished in steps never stacks a second answer to the story's own error family on the
first (an array table that still calls `String::from`, then wrapped in `LazyLock` on top): that
answer is offered alone, one step, on the original. Real cargo on a crate written here."""

from __future__ import annotations

import pytest

from engine.explain.validation import validate
from tests.explain.crates import explain_lib

pytestmark = pytest.mark.slow

UNITS = """pub static UNITS: Vec<String> = vec![String::from("cm"), String::from("in")];

pub fn unit(i: usize) -> &'static str {
    &UNITS[i]
}
"""


def test_no_lazylock_stacked_on_an_array_table_and_lazylock_alone_is_offered(tmp_path, monkeypatch):
    monkeypatch.setenv("RUSTA_CACHE_DIR", str(tmp_path / "cache"))
    stories = explain_lib(tmp_path, "units", UNITS)
    run = validate(list(stories), tmp_path / "units")
    fixes = [f for e in run.explanations for f in e.fixes]
    assert not any("LazyLock<[String; 2]>" in "".join(f.shows) for f in fixes), [f.name for f in fixes]
    assert any(
        f.validated == "compiles" and "LazyLock<Vec<String>>" in "".join(f.shows) and not f.steps
        for f in fixes
    ), [(f.name, f.validated, f.steps) for f in fixes]


def test_the_array_table_is_not_finished_with_lazylock_when_no_one_step_fix_compiles(tmp_path, monkeypatch):
    """Without the one-step `LazyLock<Vec<String>>` the steps are looked for: the array's new
    errors are the story's own family, so no step is stacked on it."""
    import engine.repair.design as design

    lazy = design._lazy_static
    monkeypatch.setattr(
        design,
        "_lazy_static",
        lambda d, item, file: [] if item.type.text.startswith("Vec") else lazy(d, item, file),
    )
    monkeypatch.setenv("RUSTA_CACHE_DIR", str(tmp_path / "cache"))
    stories = explain_lib(tmp_path, "units2", UNITS)
    run = validate(list(stories), tmp_path / "units2")
    fixes = [f for e in run.explanations for f in e.fixes]
    assert not any("LazyLock<[String; 2]>" in "".join(f.shows) for f in fixes), [
        (f.name, f.steps) for f in fixes
    ]


SIZE = """pub fn describe(p: (u32, u32)) -> String {
    format!("{} by {}", p[0], p[1])
}
"""


def test_the_same_error_at_another_place_is_still_finished(tmp_path, monkeypatch):
    """`p[0]` then `p[1]`: the second step answers a place the first did not touch."""
    monkeypatch.setenv("RUSTA_CACHE_DIR", str(tmp_path / "cache"))
    stories = explain_lib(tmp_path, "size", SIZE)
    run = validate(list(stories), tmp_path / "size")
    fixes = [f for e in run.explanations for f in e.fixes]
    assert any(f.validated == "compiles" and "p.0, p.1" in "".join(f.shows) for f in fixes), [
        (f.name, f.validated, f.steps) for f in fixes
    ]
