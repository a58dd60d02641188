"""A group is one story only when one fix clears every error in it. A type parameter lacking a
trait in two functions is two fixes (each function declares its own `T`); two borrow conflicts
with one earlier borrow but on different places (a `&mut self` method call, and the iterated
field itself) need different fixes. Real cargo on crates written here."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.explain.crates import explain_lib, line_of

pytestmark = [pytest.mark.slow, pytest.mark.xdist_group("group-one-fix")]

TWO_GENERIC_FNS = """use std::collections::{HashMap, HashSet};

pub fn distinct<K>(xs: &[K]) -> HashSet<K>
where
    K: Clone,
{
    let mut seen = HashSet::new();
    for x in xs {
        seen.insert(x.clone());
    }
    seen
}

pub fn count<K: PartialEq>(counts: &HashMap<K, u32>, k: &K) -> u32 {
    counts[k] + 1
}
"""

TWO_PLACES = """pub struct Queue {
    jobs: Vec<u32>,
    done: u32,
}

impl Queue {
    fn tick(&mut self) {
        self.done += 1;
    }

    pub fn drain_zero(&mut self) {
        for (i, j) in self.jobs.iter().enumerate() {
            if *j == 0 {
                self.tick();
                self.jobs.swap_remove(i);
            }
        }
    }
}
"""


def _errors(stories):
    return [e for e in stories if e.level == "error"]


def test_a_type_parameter_lacking_a_trait_in_two_functions_is_two_stories(tmp_path: Path) -> None:
    stories = _errors(explain_lib(tmp_path, "sets", TWO_GENERIC_FNS))
    insert, contains = line_of(TWO_GENERIC_FNS, "seen.insert"), line_of(TWO_GENERIC_FNS, "counts[k]")
    lines = [{s.line_start for d in e.diagnostics for s in d.spans if s.is_primary} for e in stories]
    assert any(contains in ls for ls in lines)
    # the `has` error is its own story: the bound added in `distinct` does not clear it
    assert not any({insert, contains} <= ls for ls in lines)


def test_borrow_conflicts_on_different_places_are_two_stories(tmp_path: Path) -> None:
    stories = _errors(explain_lib(tmp_path, "jobs", TWO_PLACES))
    assert len(stories) == 2
    assert all(len(e.diagnostics) == 1 for e in stories)
