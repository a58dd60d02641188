"""rustc's `dyn Trait` -> `Self` is a candidate only where `Self` implements the trait: inside the
trait's definition or one of its impls, never in another type's method (`Box<Self>` in a registry's
`register` is a box of the registry). Pure: edits on source text written here."""

from __future__ import annotations

import pytest

from engine.edits import Edit
from engine.repair.suggestions import _self_for_other_trait

SRC = b"""pub trait Plugin {
    fn boxed(&self) -> Box<dyn Plugin>;
}

pub struct Logger;

impl Plugin for Logger {
    fn boxed(&self) -> Box<dyn Plugin> { todo!() }
}

pub struct Registry { items: Vec<Box<dyn Plugin>> }

impl Registry {
    pub fn register(&mut self, p: Box<dyn Plugin>) { self.items.push(p) }
}

pub fn make() -> Box<dyn Plugin> { todo!() }
"""


def _edit_at(nth: int) -> Edit:
    start = -1
    for _ in range(nth + 1):
        start = SRC.index(b"dyn Plugin", start + 1)
    return Edit(file="src/lib.rs", start=start, end=start + len(b"dyn Plugin"), replacement="Self")


@pytest.mark.parametrize(("nth", "other"), [(0, False), (1, False), (2, True), (3, True), (4, True)])
def test_self_replaces_dyn_only_where_self_implements_the_trait(nth: int, other: bool) -> None:
    assert _self_for_other_trait(_edit_at(nth), lambda f: SRC) is other
