"""A clone's cost is said of every run of the clone: once per call, per loop iteration, or each time
an `if` in the loop holds (#14). Real cargo on crates written here.

The general mistake: "each call copies one `T`" said of a `.clone()` the fix writes inside a loop
body, which copies on every iteration (or on every new best, under an `if` there).
"""

from __future__ import annotations

import pytest

from engine.explain.validation import validate
from engine.syntax.run_count import how_often
from tests.explain.crates import explain_lib, line_of

pytestmark = pytest.mark.slow

# a generic "last one that passes": the move out of `*x` runs on every iteration of the loop
LAST = """pub fn last_at_least<T: PartialOrd>(xs: &[T], min: &T) -> Option<T> {
    let mut out = None;
    for x in xs {
        if x >= min {
            out = Some(*x);
        }
    }
    out
}

pub fn first<T: Clone>(xs: &[T]) -> T {
    xs[0].clone()
}
"""

# names gathered from records: the move out of `p.name` runs on every iteration
NAMES = """pub struct Person {
    pub name: String,
    pub age: u32,
}

pub fn names(people: &[Person]) -> Vec<String> {
    let mut out = Vec::new();
    for p in people {
        out.push(p.name);
    }
    out
}
"""


def _checked(tmp_path, name: str, src: str):
    stories = explain_lib(tmp_path, name, src)
    return validate(list(stories), tmp_path / name).explanations


def test_a_bound_and_clone_in_a_loop_costs_one_copy_each_time_the_guard_holds(tmp_path) -> None:
    (e,) = _checked(tmp_path, "last", LAST)
    fix = next(
        o for o in e.fixes if "x.clone()" in " ".join(o.shows) or "(*x).clone()" in o.name + " ".join(o.shows)
    )
    loop, guard = line_of(LAST, "for x in xs"), line_of(LAST, "if x >= min")
    want = f"copies one `T` each time the `if` at line {guard} holds, up to once per iteration of the `for` loop at line {loop}"
    assert want in fix.name, fix.name
    assert "each call copies" not in fix.name


def test_a_clone_in_a_loop_body_is_priced_per_iteration(tmp_path) -> None:
    (e,) = _checked(tmp_path, "names", NAMES)
    fix = next(o for o in e.fixes if "p.name.clone()" in " ".join(o.shows))
    assert fix.validated == "compiles", fix.fails_because
    loop = line_of(NAMES, "for p in people")
    assert f"on every iteration of the `for` loop at line {loop}" in fix.cost, fix.cost


def test_straight_line_code_runs_once_and_a_closure_per_call_of_its_caller() -> None:
    src = LAST.encode()
    at = src.index(b"xs[0].clone()")
    assert how_often(src, at, at + 5) == ""
    body = b"pub fn f(v: &[u8]) -> u32 {\n    v.iter().map(|x| *x as u32).sum()\n}\n"
    at = body.index(b"*x as")
    assert how_often(body, at, at + 2) == "each time `map` calls the closure at line 2"
    cond = b"fn g(v: Vec<u8>) {\n    for x in v.clone() {\n        drop(x);\n    }\n}\n"
    at = cond.index(b"v.clone()")
    assert how_often(cond, at, at + 9) == ""  # the iterable runs once, not per iteration
