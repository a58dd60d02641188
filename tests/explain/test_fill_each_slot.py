"""E0277 `X: Clone` required by `vec![elem; n]` (std's `from_elem` clones one element into every
slot): the fix that builds each slot anew, `(0..n).map(|_| elem).collect::<Vec<_>>()`, needs no
bound, so it compiles without narrowing the types the code accepts and leads before a `Clone` bound
on a whole impl (review O, o11). Not offered where the element is a call that may do work, whose
evaluation once per slot would change what the program does. Real cargo on small crates written
here, their own tests run with the fix in."""

from __future__ import annotations

import pytest

from engine.explain.validation import validate
from tests.explain.crates import crate_tests_with, explain_lib

pytestmark = pytest.mark.slow

# a generic pool whose slots start empty; its test keeps a non-Clone type on purpose
POOL = """pub struct Pool<T> {
    slots: Vec<Option<T>>,
}

impl<T> Pool<T> {
    pub fn with_slots(n: usize) -> Self {
        Pool { slots: vec![None; n] }
    }

    pub fn put(&mut self, i: usize, v: T) {
        self.slots[i] = Some(v);
    }

    pub fn used(&self) -> usize {
        self.slots.iter().filter(|s| s.is_some()).count()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    struct Token(u8);

    #[test]
    fn holds_values_that_do_not_clone() {
        let mut p = Pool::with_slots(3);
        p.put(1, Token(7));
        assert_eq!(p.used(), 1);
        assert_eq!(p.slots.len(), 3);
    }
}
"""

# a second shape: a grid of buckets, each a `Vec<E>` made by a constructor, in a plain function
BUCKETS = """pub fn buckets<E>(items: Vec<(usize, E)>, n: usize) -> Vec<Vec<E>> {
    let mut out: Vec<Vec<E>> = vec![Vec::new(); n];
    for (k, e) in items {
        out[k % n].push(e);
    }
    out
}

#[cfg(test)]
mod tests {
    #[test]
    fn spreads_by_key() {
        struct Job;
        let b = super::buckets(vec![(0, Job), (3, Job), (1, Job)], 2);
        assert_eq!(b[0].len(), 1);
        assert_eq!(b[1].len(), 2);
    }
}
"""

# the element is a call that may do work each time: evaluated per slot, it would run n times
COUNTER = """pub struct Slot<T> {
    pub v: Option<T>,
}

pub fn fresh<T>() -> Slot<T> {
    Slot { v: None }
}

pub fn slots<T>(n: usize) -> Vec<Slot<T>> {
    vec![fresh(); n]
}
"""


def _lead(tmp_path, name: str, src: str):
    stories = explain_lib(tmp_path, name, src)
    run = validate(list(stories), tmp_path / name)
    return next(e for e in run.explanations if e.code == "E0277")


@pytest.mark.parametrize("name,src,elem", [("pool", POOL, "None"), ("buckets", BUCKETS, "Vec::new()")])
def test_each_slot_built_anew_leads_and_keeps_the_tests(tmp_path, monkeypatch, name, src, elem):
    monkeypatch.setenv("RUSTA_CACHE_DIR", str(tmp_path / "cache"))
    e = _lead(tmp_path, name, src)
    lead = e.fixes[0]
    assert any(f".map(|_| {elem}).collect::<Vec<_>>()" in s for s in lead.shows), [
        (f.name, f.shows) for f in e.fixes
    ]
    assert lead.validated == "compiles", lead.validated
    assert "Clone" not in "".join(lead.shows)
    assert crate_tests_with(tmp_path, name, lead) == "ok"


def test_an_element_that_is_a_call_is_not_built_per_slot(tmp_path, monkeypatch):
    monkeypatch.setenv("RUSTA_CACHE_DIR", str(tmp_path / "cache"))
    e = _lead(tmp_path, "counter", COUNTER)
    assert not any(".map(|_|" in s for f in e.fixes for s in f.shows), [(f.name, f.shows) for f in e.fixes]


def test_rustcs_steps_that_rewrite_the_tests_say_so(tmp_path, monkeypatch):
    """rustc's `&None` finished in steps (E0308, then `T: Clone`, then `derive(Clone)` on the test's
    `Token`) compiles only as it edits the test: the line on rustc's suggestion says that price."""
    from modes.verdicts import rustc_failed_line

    monkeypatch.setenv("RUSTA_CACHE_DIR", str(tmp_path / "cache"))
    run = validate(list(explain_lib(tmp_path, "pool_steps", POOL)), tmp_path / "pool_steps")
    i, e = next((i, e) for i, e in enumerate(run.explanations) if e.code == "E0277")
    line = rustc_failed_line(run.failed[i], e)
    assert line is not None, [(o.name, o.fails_because) for o in run.failed[i]]
    steps = [f for f in e.fixes if f.steps and f.rewrites_tests]
    assert steps, [(f.name, f.steps, f.rewrites_tests) for f in e.fixes]
    assert "only as the steps rewrite the crate's tests" in line.text, line.text
