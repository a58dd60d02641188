"""A way out that clones a value is offered only when its type is `Clone` (#14). Real cargo on
crates written here.

The general mistake: "give the receiver a clone of `order` where it is moved" for a type the crate
defines without `Clone`, which cannot compile. rustc's "consider cloning" help on the same error may
be about another value (the field the borrow takes), so it is no fact about the moved one; the
crate's own derives and `impl Clone for` are.
"""

from __future__ import annotations

import pytest

from engine.syntax.tree import defined_names
from tests.explain.crates import explain_lib

pytestmark = pytest.mark.slow

ORDER = """DERIVEpub struct Order {
    pub id: String,
    lines: Vec<u32>,
}

impl Order {
    pub fn submit(self) -> usize {
        self.lines.len()
    }
}

pub fn place(order: Order) -> (String, usize) {
    let id = &order.id;
    let n = order.submit();
    (id.to_string(), n)
}
"""


def _names(tmp_path, name: str, src: str) -> list[str]:
    (e,) = [e for e in explain_lib(tmp_path, name, src) if e.code == "E0505"]
    return [o.name for o in e.options]


def test_a_clone_of_a_type_without_clone_is_not_offered(tmp_path) -> None:
    names = _names(tmp_path, "order", ORDER.replace("DERIVE", ""))
    assert "clone at the move" not in names, names
    assert "clone for the borrower" in names  # the borrowed field is a `String`: that clone compiles


def test_the_same_shape_with_a_derived_clone_offers_it(tmp_path) -> None:
    names = _names(tmp_path, "order_clone", ORDER.replace("DERIVE", "#[derive(Clone)]\n"))
    assert "clone at the move" in names, names


def test_an_impl_of_clone_counts_and_a_derive_of_other_traits_does_not() -> None:
    src = b"#[derive(Debug)]\nstruct A;\nstruct B<T>(T);\nimpl<T: Copy> Clone for B<T> { fn clone(&self) -> Self { B(self.0) } }\n#[derive(Debug, Clone)]\nenum C { X }\ntype D = Vec<u8>;\n"
    assert defined_names(src)["clone"] == frozenset({"B", "C", "D"})  # an alias is not decided: kept
