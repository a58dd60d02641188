"""Errors of one missing trait grouped as one cause name, per use, what asks for the trait: a
callee's bound or a `{}` in a format string, as rustc's notes give them (#14, review E 8).

The general mistake: "`T` does not implement `Display`, which the bound at line 3 requires for the
use at line 8" said of two errors when only the first comes from that bound and the second from a
formatting parameter. Real cargo on crates written here.
"""

from __future__ import annotations

import pytest

from tests.explain.crates import explain_lib, line_of

pytestmark = pytest.mark.slow

# a bounded call and a `{}` of the same value type: two asks for `Display`
MIXED = """use std::fmt::Display;

pub struct Celsius(pub f64);

pub fn labels<T: Display>(xs: &[T]) -> Vec<String> {
    xs.iter().map(|x| x.to_string()).collect()
}

pub fn report(temps: Vec<Celsius>) -> String {
    let hottest = &temps[0];
    format!("{:?} max {}", labels(&temps), hottest)
}
"""

# two calls of one bounded fn: one ask, named once as before (rustc traces both to the bound)
SAME = """use std::fmt::Display;

pub struct Celsius(pub f64);

pub fn labels<T: Display>(xs: &[T]) -> Vec<String> {
    xs.iter().map(|x| x.to_string()).collect()
}

pub fn both(a: Vec<Celsius>, b: Vec<Celsius>) -> usize {
    let n = labels(&a).len();
    n + labels(&b).len()
}
"""


def _grouped(tmp_path, name: str, src: str):
    return next(e for e in explain_lib(tmp_path, name, src) if "errors, one cause" in e.summary)


def test_each_use_names_its_own_obligation(tmp_path) -> None:
    e = _grouped(tmp_path, "mixed", MIXED)
    bound, use = line_of(MIXED, "pub fn labels"), line_of(MIXED, "format!(")
    assert f"the bound at src/lib.rs:{bound} requires it for the use at src/lib.rs:{use}:" in e.summary, (
        e.summary
    )
    assert f", and the formatting parameter at src/lib.rs:{use}:" in e.summary, e.summary
    assert "which the bound" not in e.summary, e.summary
    # what the two uses share is the type: its definition is the root, not the first use's bound
    assert (e.root_cause.file, e.root_cause.line) == ("src/lib.rs", line_of(MIXED, "pub struct Celsius"))


def test_one_bound_for_every_use_is_said_once(tmp_path) -> None:
    (e,) = explain_lib(tmp_path, "same", SAME)
    assert len(e.diagnostics) == 2, e.diagnostics
    assert "formatting parameter" not in e.summary, e.summary
    assert f"which the bound at src/lib.rs:{line_of(SAME, 'pub fn labels')}" in e.summary, e.summary
