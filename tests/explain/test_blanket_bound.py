"""Bounds on a generic function's type parameter, read from rustc's notes and the syntax tree (#14).

Two general mistakes, each on crates written here and checked by real cargo:
- a method from a blanket impl (`to_string`, which `ToString` has for every `Display` type) called on
  a `T` without the impl's trait. rustc's help bounds `T` with the method's trait (`T: ToString`);
  its note says `T: Display` is required by `T: ToString`, so the fix shown first writes `Display`
  at the same place, and rustc's own edit is still checked as written.
- a call that needs `T: Ord` in a function whose `where` clause bounds `T` with something else: the
  root cause is where `T` is declared (the syntax layer), not the end of the `where` clause where
  rustc's help happens to write the bound.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from engine.explain.validation import validate
from tests.explain.crates import explain_lib, line_of

LABELS = """pub fn labels<T: Clone>(items: &[T]) -> Vec<String> {
    items.iter().map(|x| x.to_string()).collect()
}
"""

PAIRS = """use std::fmt::Debug;

pub fn pairs<K: Debug, V>(kv: &[(K, V)]) -> String {
    kv.iter().map(|(k, v)| format!("{k:?}={}", v.to_string())).collect::<Vec<_>>().join(",")
}
"""


@pytest.mark.slow
@pytest.mark.parametrize(("name", "src", "param"), [("labels", LABELS, "T"), ("pairs", PAIRS, "V")])
def test_the_blanket_impls_trait_is_the_bound(
    tmp_path: Path, monkeypatch, name: str, src: str, param: str
) -> None:
    monkeypatch.setenv("RUSTA_CACHE_DIR", str(tmp_path / "cache"))
    stories = explain_lib(tmp_path, name, src)
    at = [i for i, s in enumerate(stories) if s.code == "E0599"]
    assert at, [(s.code, s.message) for s in stories]
    e = validate(stories, tmp_path / name).explanations[at[0]]
    compiled = [o for o in e.fixes if o.validated == "compiles"]
    assert compiled, [(o.name, o.validated) for o in e.fixes]
    first = "".join(compiled[0].shows)
    assert "Display" in first and "ToString" not in first, [(o.name, o.shows) for o in compiled]
    assert compiled[0].source != "rustc", compiled[0]  # Rusta's rewrite, not credited to rustc
    assert f"is required by `{param}: ToString`" in compiled[0].name, compiled[0].name
    # rustc's own `ToString` edit is still there, checked as written
    assert any("ToString" in "".join(o.shows) and o.source == "rustc" for o in e.fixes), e.fixes


RANKS = """fn rank<T: Ord>(items: &[T]) -> usize {
    items.len()
}

pub fn score<T>(items: &[T]) -> usize
where
    T: Clone,
{
    rank(items)
}
"""


@pytest.mark.slow
def test_an_unmet_bound_at_a_call_is_rooted_at_the_parameter(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setenv("RUSTA_CACHE_DIR", str(tmp_path / "cache"))
    stories = explain_lib(tmp_path, "ranks", RANKS)
    e = next(s for s in stories if s.code == "E0277")
    decl = line_of(RANKS, "pub fn score<T>")
    assert (e.root_cause.line, e.root_cause.column) == (decl, RANKS.splitlines()[decl - 1].index("T>") + 1), (
        e.root_cause,
        e.summary,
    )
    assert "declares `T` here without `Ord`" in e.root_cause_reason or "without `Ord`" in e.summary, e
    assert "where rustc's help adds it" not in e.summary, e.summary
