"""A trait missing on a type parameter is fixed by a bound where the parameter is declared, and the
story says so truly (#14, review D on d13).

- E0599 with several unmet bounds (rustc lists them one a line under "the following trait bounds
  were not satisfied") was not read as a type parameter's, so the story said "where the missing impl
  or derive goes": nothing can derive on `N`, the caller picks it.
- E0277's "consider further restricting type parameter" placed the root cause at rustc's insertion
  point (the `where` clause) and called that line the parameter's declaration.

Real cargo on a library crate written here (another program than the reviewer's crate).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.explain.crates import explain_lib, line_of, story

pytestmark = pytest.mark.slow

SHOUT = """pub fn shout<N: Clone>(xs: &[N]) -> Vec<String> {
    xs.iter().map(|x| x.to_string()).collect()
}

pub fn biggest<T, U>(xs: &[T], _tag: U) -> Option<&T>
where
    U: Copy,
{
    xs.iter().max()
}
"""


def test_a_type_parameter_gets_a_bound_not_a_derive(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setenv("RUSTA_CACHE_DIR", str(tmp_path / "cache"))
    stories = explain_lib(tmp_path, "shout", SHOUT)
    listed = story(stories, SHOUT, "x.to_string()", "E0599")
    assert "impl or derive" not in listed.summary, listed.summary
    assert "`N`" in listed.summary and "where `N` is declared" in listed.summary, listed.summary
    assert listed.root_cause.line == line_of(SHOUT, "pub fn shout<N: Clone>")
    bound = story(stories, SHOUT, "xs.iter().max()", "E0277")
    assert "declared at" not in bound.summary, bound.summary
    # the root is `T`'s declaration (the syntax layer), not the `where` clause rustc's help writes in
    assert bound.root_cause.line == line_of(SHOUT, "pub fn biggest<T, U>"), bound.root_cause
    assert "declares `T` here without `Ord`" in (bound.root_cause.label or bound.root_cause_reason)
