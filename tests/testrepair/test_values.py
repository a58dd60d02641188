"""The assertion-values signal: the statements that produced the asserted value (a def-use walk over
the syntax tree), and among them the ones whose sites match the left/right difference; real cargo
on two small crates with an off-by-one slip each, so the failures carry rustc's own left/right."""

from __future__ import annotations

from pathlib import Path

import pytest

from engine.gym.semantic import SemanticEpisode, _slim, crate_dir, with_values
from engine.syntax.value_flow import asserted_calls, asserted_expressions, value_lines
from engine.testrepair.grammar import mutants
from engine.testrepair.values import ARITHMETIC, DECISION, OFF_BY_ONE, value_gap
from tests.testrepair.crates import COUNT, failing_lines, write_crate
from toolbelt import types as tt

# a slice bound one too short: the returned Vec is one item shorter than the test wants
TAKE = b"""/// The first `n` items, and the log line beside them.
pub fn take(v: &[u8], n: usize) -> Vec<u8> {
    let end = n - 1;
    let note = n * 10;
    eprintln!("taking {}", note);
    v[..end].to_vec()
}

pub fn sum_first(v: &[u8], n: usize) -> u32 {
    take(v, n).iter().map(|&b| b as u32).sum()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn takes_three() {
        assert_eq!(take(&[1, 2, 3, 4], 3), vec![1, 2, 3]);
    }
}
"""


def _line(src: bytes, text: str) -> int:
    return next(i for i, ln in enumerate(src.decode().split("\n"), 1) if text in ln)


def test_the_value_slice_follows_defs_and_guards_back_from_the_outputs_and_skips_the_rest() -> None:
    got = value_lines(COUNT, COUNT.index(b"pub fn count_below"))
    assert got[_line(COUNT, "let mut n")] == 1
    assert got[_line(COUNT, "n += 1")] == 1 and got[_line(COUNT, "if *x <= limit")] == 2
    assert _line(COUNT, "let spread") not in got and _line(COUNT, "println!") not in got
    tail = COUNT.decode().split("\n").index("    n") + 1  # the fn's value
    assert got[tail] == 0
    meter = value_lines(COUNT, COUNT.index(b"pub fn add"))
    assert meter[_line(COUNT, "self.total += step")] == 0  # a write through `&mut self` leaves the fn
    assert meter[_line(COUNT, "let step")] == 1
    assert _line(COUNT, "let label") not in meter


def test_the_assertion_names_what_it_compared_and_what_computed_it() -> None:
    line = _line(COUNT, "assert_eq!(got, 2)")
    macro, exprs = asserted_expressions(COUNT, line) or ("", ())
    assert (macro, exprs) == ("assert_eq", ("got", "2"))
    assert "count_below" in asserted_calls(COUNT, line, exprs)  # through the test's `let got = ..`
    assert asserted_expressions(COUNT, _line(COUNT, "let v = vec!")) is None


def test_the_gap_between_left_and_right_names_the_kinds_of_slip_that_make_it() -> None:
    def gap(left: str, right: str, macro: str = "assert_eq") -> frozenset[str]:
        return value_gap(tt.TestFailure(message="", left=left, right=right), macro)

    assert gap("3", "2") == OFF_BY_ONE and gap("-1i64", "0") == OFF_BY_ONE
    assert gap("10", "2") == ARITHMETIC and gap("1.5", "0.75") == ARITHMETIC
    assert gap("true", "false") == DECISION and gap("Some(3)", "None") == DECISION
    assert gap("[1, 2]", "[1, 2, 3]") == OFF_BY_ONE and gap('"ab"', '"abc"') == OFF_BY_ONE
    assert gap("Point { x: 1 }", "Point { x: 2 }") == frozenset()
    assert value_gap(tt.TestFailure(message="assertion failed: ok(x)"), "assert") == DECISION


def test_the_gym_keeps_the_assertion_values_of_a_failure() -> None:
    t = tt.TestResult(
        name="t", status="failed", output="x" * 50, failure=tt.TestFailure(message="m", left="3", right="4")
    )
    slim = _slim(t)
    assert slim.output == "" and slim.failure is not None
    assert (slim.failure.left, slim.failure.right) == ("3", "4")


@pytest.mark.slow
@pytest.mark.parametrize(
    ("name", "lib", "slip", "beside"),
    [
        ("counting", COUNT, "if *x <= limit", "let spread"),
        ("taking", TAKE, "let end = n - 1", "let note"),
    ],
)
def test_real_failures_rank_the_slip_by_its_value_over_the_lines_beside_it(
    tmp_path: Path, name: str, lib: bytes, slip: str, beside: str
) -> None:
    failing, lines = failing_lines(write_crate(tmp_path / name, lib), lib)
    assert len(failing) == 1 and failing[0].failure is not None
    assert failing[0].failure.left is not None and failing[0].failure.right is not None
    by_line = {ln.line: ln.x for ln in lines}
    bug, other = by_line[_line(lib, slip)], by_line[_line(lib, beside)]
    assert bug["values"] > 0 and bug["values_gap"] > 0  # one off: the slip's `<=` / `- 1` is such a site
    assert other["values"] == 0 and other["values_gap"] == 0  # it feeds nothing the test compared
    above = [n for n, x in by_line.items() if x["values_gap"] > bug["values_gap"]]
    assert len(above) <= 2, above  # only the statements assigning the returned name come first
    assert all(x["values"] == 0 for ln in lines if ln.fn.name == "add" for x in [ln.x])  # not called


@pytest.mark.slow
def test_stored_episodes_get_their_assertion_values_back_and_the_crate_is_left_as_it_was(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("RUSTA_CACHE_DIR", str(tmp_path / "cache"))
    right = COUNT.replace(b"if *x <= limit", b"if *x < limit")
    root = write_crate(crate_dir("counting"), right, name="counting")
    slip = next(m for m in mutants(right, "src/lib.rs", slips=True) if m.after == "<=")
    stored = tt.TestResult(
        name="tests::counts_strictly_below", status="failed", failure=tt.TestFailure(message="assertion")
    )
    ep = SemanticEpisode(
        crate="counting", split="dev", seed=0, mutant=slip, failing=(stored,), passing=(), seconds=0.0
    )
    (back,) = with_values([ep], log=lambda _: None)
    f = back.failing[0].failure
    assert f is not None and (f.left, f.right) == ("3", "2")  # rustc's own values: one too many counted
    assert (root / "src" / "lib.rs").read_bytes() == right
    assert with_values([back], log=lambda _: None) == [back]  # nothing to fill: no cargo run
