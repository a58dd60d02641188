"""A patch is blamed only for the clippy warnings it writes (real cargo, real clippy).

clippy lints a crate only once it builds, so a fix for a compile error lets clippy see every lint the
crate already had. Those are reported apart, with their places, and never as the patch's; a lint on
a line the fix writes is still the fix's; against a crate that compiled, a lint the patch causes on
a line it did not write (a caller's `&vec![..]` once the parameter is a slice) is still added."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from engine.patching import api
from engine.patching.types import Patch, Validation
from tests.proofs.crates import diff_of, make_crate

pytestmark = pytest.mark.slow

# an index loop clippy flags (needless_range_loop) well away from an E0308 in another fn
LEDGER = """\
/// Sum of the entries of one account.
pub fn total(xs: &[i64]) -> i64 {
    let mut t = 0;
    for i in 0..xs.len() {
        t += xs[i];
    }
    t
}

/// The entry as the report prints it.
pub fn label(n: i64) -> String {
    n
}

#[cfg(test)]
mod tests {
    #[test]
    fn sums_and_labels() {
        assert_eq!(super::total(&[1, 2, 3]), 6);
        assert_eq!(super::label(7), "7");
    }
}
"""
CONVERTS = LEDGER.replace("    n\n}", "    n.to_string()\n}")
RETURNS = LEDGER.replace("    n\n}", "    return n.to_string();\n}")

# a compiling crate with two `&Vec` parameters (ptr_arg twice, one line each) and a test passing `&vec![..]`
GRID = """\
pub fn dist(
    a: &Vec<f64>,
    b: &Vec<f64>,
) -> f64 {
    a.iter().zip(b.iter()).map(|(x, y)| (x - y).abs()).sum()
}

#[cfg(test)]
mod tests {
    #[test]
    fn apart() {
        let far = vec![4.0, 0.0];
        assert_eq!(super::dist(&vec![1.0, 0.0], &far), 3.0);
    }
}
"""
HALF = GRID.replace("a: &Vec<f64>", "a: &[f64]")


@pytest.fixture(scope="module")
def cache(tmp_path_factory: pytest.TempPathFactory) -> None:
    os.environ.setdefault("RUSTA_CACHE_DIR", str(tmp_path_factory.mktemp("cache")))


def _check(v: Validation) -> tuple[str, str]:
    p = next(p for p in v.proofs if p.kind == "check")
    return p.status, p.detail


def test_lints_the_errors_hid_are_not_the_patchs(cache: None, tmp_path: Path) -> None:
    crate = make_crate(tmp_path / "ledger", LEDGER, name="hidden_lints")
    v = api.validate(crate, Patch.new(diff_of(crate, CONVERTS), "converts the number to text"))
    assert v.green and v.check_tool == "clippy", v.reason
    assert v.new_warnings == (), v.new_warnings
    assert v.hidden_warnings == ("clippy::needless_range_loop at src/lib.rs:4",), v.hidden_warnings
    status, said = _check(v)
    assert status == "passed", said
    assert (
        "clippy warnings 0 -> 1, none on the lines the patch writes; clippy also reports 1 on code the "
        "patch did not write, unseen before because the crate did not compile: "
        "clippy::needless_range_loop at src/lib.rs:4"
    ) in said, said


def test_a_lint_on_the_fixs_own_line_is_the_fixs(cache: None, tmp_path: Path) -> None:
    crate = make_crate(tmp_path / "ledger", LEDGER, name="own_lint")
    v = api.validate(crate, Patch.new(diff_of(crate, RETURNS), "returns the number as text"))
    assert v.green, v.reason
    assert v.new_warnings == ("clippy::needless_return",), v.new_warnings
    assert v.hidden_warnings == ("clippy::needless_range_loop at src/lib.rs:4",), v.hidden_warnings
    status, said = _check(v)
    assert status == "passed", said  # a warning is said, never a failed proof of a green patch
    assert "the patch adds 1 (clippy::needless_return)" in said, said


def test_a_half_fix_that_moves_a_warning_says_so(cache: None, tmp_path: Path) -> None:
    crate = make_crate(tmp_path / "grid", GRID, name="half_fix")
    v = api.validate(crate, Patch.new(diff_of(crate, HALF), "takes a slice"))
    assert v.green, v.reason
    assert v.warnings_before == 2 and v.hidden_warnings == (), (v.warnings_before, v.hidden_warnings)
    assert v.new_warnings == ("clippy::useless_vec",), v.new_warnings  # the kept `b: &Vec` is not new
    status, said = _check(v)
    assert status == "passed", said
    assert "clippy warnings 2 -> 2: the patch adds 1 (clippy::useless_vec)" in said, said


# a move out of `&T` in a fn whose `T` is bounded in a `where` clause: the fix writes `<T: Copy>` on
# the signature's line, and clippy's multiple_bound_locations points at the `T` that line kept
SUMS = """\
use std::ops::Add;

pub fn sum_all<T>(xs: &[T]) -> T
where
    T: Add<Output = T> + Default,
{
    let mut acc = T::default();
    for x in xs {
        acc = acc + *x;
    }
    acc
}
"""
SPLIT = SUMS.replace("pub fn sum_all<T>(", "pub fn sum_all<T: Copy>(")


def test_a_lint_on_a_line_the_fix_rewrote_is_not_said_to_be_elsewhere(cache: None, tmp_path: Path) -> None:
    crate = make_crate(tmp_path / "sums", SUMS, name="rewritten_lint")
    v = api.validate(crate, Patch.new(diff_of(crate, SPLIT), "bounds T with Copy"))
    assert v.check_tool == "clippy", v.reason
    assert v.rewritten_warnings == ("clippy::multiple_bound_locations at src/lib.rs:3",), (
        v.rewritten_warnings,
        v.hidden_warnings,
        v.new_warnings,
    )
    assert v.hidden_warnings == (), v.hidden_warnings
    status, said = _check(v)
    assert "on code the patch did not write" not in said, said
    assert (
        "clippy reports 1 on a line the patch rewrote (not on the code it wrote there), unseen before "
        "because the crate did not compile: clippy::multiple_bound_locations at src/lib.rs:3"
    ) in said, said
