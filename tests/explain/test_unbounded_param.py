"""A generic function calls a method that exists only for some `T` (its impl asks `T: Trait`) and
the function's own `T` does not promise the trait (E0599, "trait bounds were not satisfied"). The
caller picks `T`, so the place is the parameter's declaration, where a bound goes, never "an impl or
derive" at the call. Real cargo on a small library crate written here."""

from __future__ import annotations

import re

import pytest

from engine.explain.validation import validate
from tests.explain.crates import explain_lib, line_of

pytestmark = pytest.mark.slow

TAGGED = """use std::fmt::Debug;

pub struct Tagged<V> {
    pub tag: &'static str,
    pub value: V,
}

impl<V: Debug> Tagged<V> {
    pub fn describe(&self) -> String {
        format!("{}: {:?}", self.tag, self.value)
    }
}

pub fn describe_each<V: Clone>(items: &[V]) -> Vec<String> {
    items
        .iter()
        .map(|v| Tagged { tag: "item", value: v.clone() })
        .map(|t| t.describe())
        .collect()
}

#[cfg(test)]
mod tests {
    #[test]
    fn describes() {
        assert_eq!(super::describe_each(&[1, 2]), vec!["item: 1", "item: 2"]);
    }
}
"""


def test_a_method_bound_the_function_parameter_lacks_is_placed_at_its_declaration(tmp_path, monkeypatch):
    monkeypatch.setenv("RUSTA_CACHE_DIR", str(tmp_path / "cache"))
    stories = explain_lib(tmp_path, "unbounded_param", TAGGED)
    e = next(s for s in stories if s.code == "E0599")
    assert e.root_cause.line == line_of(TAGGED, "pub fn describe_each")
    assert "impl or derive" not in e.summary
    assert "`V`" in e.summary and "bound goes" in e.summary
    assert e.options[0].name == "bound the type parameter"
    run = validate(stories, tmp_path / "unbounded_param")
    fixes = [o for x in run.explanations if x.code == "E0599" for o in x.fixes]
    green = [o for o in fixes if o.validated == "compiles" and not o.errors_new and not o.tests_failed]
    assert any(re.search(r"where V: (?:std::fmt::)?Debug \{", ln) for o in green for ln in o.shows), [
        (o.name, o.validated, o.shows) for o in fixes
    ]
