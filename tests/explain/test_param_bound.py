""" "The type parameter lacks the bound X" names a bound of the type parameter.

The general mistake: E0277 for collecting `&T` items (a `.clone()` of a `&T` whose `T` is not `Clone` copies
the reference) into a `Vec<T>` said "The type parameter lacks
the bound `FromIterator<&_>`", the headline's trait, whose self type is `Vec<T>`, not the parameter.
rustc's own help ("consider further restricting type parameter `T` with ` where T: Clone`") writes
the bound `T` lacks; the `{param_bound}` placeholder and the root cause's reason read it from there.
Real cargo on two small crates written here.
"""

from __future__ import annotations

import pytest

from tests.explain.crates import explain_lib

pytestmark = pytest.mark.slow

OWNED = """pub fn owned<T>(items: &[T]) -> Vec<T> {
    items.iter().map(|x| x.clone()).collect()
}
"""

WINDOW = """pub struct Window<T> {
    pub slots: Vec<T>,
}

impl<T> Window<T> {
    pub fn last(&self, n: usize) -> Vec<T> {
        self.slots.iter().rev().take(n).map(|s| s.clone()).collect()
    }
}
"""

SHOW = """pub fn show<T>(x: T) -> String {
    format!("{}", x)
}
"""


@pytest.mark.parametrize(("name", "src"), [("owned", OWNED), ("window", WINDOW)])
def test_the_lacking_bound_is_the_parameters_not_the_containers(tmp_path, name, src):
    e = next(s for s in explain_lib(tmp_path, name, src) if s.code == "E0277")
    assert "lacks the bound `Clone`" in e.summary
    assert "FromIterator" not in e.summary and "FromIterator" not in e.why
    assert "`Clone` holds for it" in e.why


def test_a_bound_that_is_the_headlines_trait_stays_named(tmp_path):
    e = next(s for s in explain_lib(tmp_path, "show", SHOW) if s.code == "E0277")
    assert "lacks the bound `Display`" in e.summary or "lacks the bound `std::fmt::Display`" in e.summary
