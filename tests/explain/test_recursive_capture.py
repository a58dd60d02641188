"""E0434 in an inner `fn` that calls itself: no closure option, and the Why says rustc's closure
help cannot work.

The general mistake: "use a closure — No cost" (and pair mode endorsing rustc's "use the `|| { ... }`
closure form instead") for an inner `fn` whose body calls its own name. A closure cannot name itself,
so that rewrite does not compile; the captured local must come in as a parameter. The syntax layer
(engine/syntax/recursive_fn.py) decides whether the `fn` around rustc's span calls itself. Real cargo
on two small crates written here: a recursive walker and a recursive countdown, beside non-recursive
inner fns that keep the closure option.
"""

from __future__ import annotations

import pytest

from tests.explain.crates import explain_lib, story
from tests.explain.crates import option_names as names

pytestmark = pytest.mark.slow

WALKER = """pub fn depth_sum(limit: u32) -> u32 {
    fn walk(n: u32) -> u32 {
        if n >= limit {
            return 0;
        }
        n + walk(n + 1)
    }
    walk(0)
}

pub fn scaled(factor: i64, xs: &[i64]) -> Vec<i64> {
    fn scale(x: i64) -> i64 {
        x * factor
    }
    xs.iter().map(|&x| scale(x)).collect()
}
"""

COUNTDOWN = """pub fn countdown(step: usize) -> Vec<usize> {
    let mut out = Vec::new();
    fn go(left: usize, out: &mut Vec<usize>) {
        out.push(left);
        if left > step {
            go(left - step, out);
        }
    }
    go(10, &mut out);
    out
}

pub fn greet(name: &str) -> String {
    fn hello() -> String {
        format!("hello {name}")
    }
    hello()
}
"""


def test_a_recursive_inner_fn_gets_no_closure_option(tmp_path):
    stories = explain_lib(tmp_path, "walker", WALKER)
    rec = story(stories, WALKER, "if n >= limit", "E0434")
    plain = story(stories, WALKER, "x * factor", "E0434")
    assert "use a closure" not in names(rec) and "pass a parameter" in names(rec)
    assert "`walk` calls itself" in rec.summary and "`limit`" in rec.summary
    assert "use a closure" in names(plain)
    assert "calls itself" not in plain.summary


def test_a_self_call_through_other_arguments_counts_too(tmp_path):
    stories = explain_lib(tmp_path, "countdown", COUNTDOWN)
    rec = story(stories, COUNTDOWN, "if left > step", "E0434")
    plain = story(stories, COUNTDOWN, 'format!("hello {name}")', "E0434")
    assert names(rec) == ["pass a parameter"]
    assert "`go` calls itself" in rec.summary and "`step`" in rec.summary
    assert "use a closure" in names(plain)
