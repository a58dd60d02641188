""" "Every field must have the trait" is said of a derive only.

The general mistake: an option that offers "a derive or an impl" (E0599's "satisfy the bound",
E0277's "implement or derive it") said in its cost that every field must have the trait. That holds
for `#[derive]`, which writes the impl from the fields; an impl written by hand (an `Ord` on one
key) needs nothing of them. Real cargo on two small crates written here, with a field that lacks
the trait (so only the hand-written impl could work there).
"""

from __future__ import annotations

import pytest

from tests.explain.crates import explain_lib, story

pytestmark = pytest.mark.slow

JOBS = """#[derive(PartialEq, Eq, PartialOrd)]
pub struct Job {
    pub rank: u8,
    pub note: f32,
}

pub fn first(jobs: Vec<Job>) -> Option<Job> {
    jobs.into_iter().max()
}
"""

HEAP = """use std::collections::BinaryHeap;

pub struct Task {
    pub priority: u8,
    pub weight: f64,
}

pub fn top(tasks: Vec<Task>) -> Option<Task> {
    let mut heap = BinaryHeap::new();
    for t in tasks {
        heap.push(t);
    }
    heap.pop()
}
"""


@pytest.mark.parametrize(
    ("name", "src", "at", "code", "option"),
    [
        ("jobs", JOBS, "jobs.into_iter().max()", "E0277", "implement or derive it"),
        ("heap", HEAP, "heap.push(t)", "E0277", "implement or derive it"),
        ("heap", HEAP, "heap.pop()", "E0599", "satisfy the bound"),
    ],
)
def test_the_field_demand_is_the_derives_not_a_hand_written_impls(tmp_path, name, src, at, code, option):
    e = story(explain_lib(tmp_path, name, src), src, at, code)
    cost = next(o.tradeoff for o in e.options if o.name == option)
    assert "every field must" not in cost
    assert "a derive needs the trait on every field" in cost and "by hand needs nothing" in cost
