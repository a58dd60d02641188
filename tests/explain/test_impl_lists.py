"""rustc's list of other implementors is one line when it names none of the types at stake (#14,
review G: g16).

`Points` summed from `u32`s lacks `Sum<u32>`; rustc lists `f128`, `f16`, `f32`, `f64` "and 88
others", a list that does not help choose a fix, and pair mode copied all of it. Such a list
becomes one line that counts it and says which types it does not name; a list that names a type at
stake (`f32` implements `Div` beside `f32 / usize`) stays whole. Real cargo on crates written here,
and the rows alone.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from engine.explain.api import explain_report
from modes.rendering import lines_for
from modes.rustc_words import no_unrelated_impls
from tests.explain.crates import write_lib
from toolbelt.cargo_run import run_check

POINTS = """\
pub struct Points(pub u32);

pub fn score(rounds: &[u32]) -> Points {
    rounds.iter().copied().sum()
}
"""

AVERAGE = """\
pub fn average(xs: &[f32]) -> f32 {
    xs.iter().sum::<f32>() / xs.len()
}
"""


def test_a_list_that_names_none_of_the_types_is_one_line() -> None:
    rows = [
        "help: the trait `std::iter::Sum<u32>` is not implemented for `Points`",
        "   = help: the following other types implement trait `std::iter::Sum<A>`:",
        "             `f32` implements `std::iter::Sum<&'a f32>`",
        "             `f32` implements `std::iter::Sum`",
        "           and 90 others",
        "note: required by a bound in `std::iter::Iterator::sum`",
    ]
    assert no_unrelated_impls(rows) == [
        rows[0],
        "   = help: rustc lists 92 other types that implement `std::iter::Sum<A>`; none of the 2 it names"
        " is `Points` or `u32`",
        rows[-1],
    ]
    named = [rows[0].replace("`Points`", "`f32`"), *rows[1:]]
    assert no_unrelated_impls(named) == named  # it names the type that lacks the trait: kept


def _pair(tmp_path: Path, name: str, src: str) -> str:
    report = run_check(write_lib(tmp_path, name, src), target_dir=tmp_path / "target")
    return "\n".join(ln.text for e in explain_report(report) for ln in lines_for(e, "pair", with_rustc=True))


@pytest.mark.slow
def test_pair_mode_counts_an_unrelated_list_and_keeps_a_related_one(tmp_path: Path) -> None:
    shown = _pair(tmp_path, "points", POINTS)
    assert "the following other types implement" not in shown and "and 8" not in shown, shown
    assert "none of the " in shown and "is `Points` or `u32`" in shown, shown
    kept = _pair(tmp_path, "average", AVERAGE)
    assert "`f32` implements `" in kept, kept
