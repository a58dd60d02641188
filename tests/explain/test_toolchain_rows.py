"""rustc's `::: /rustc/<hash>/library/...` rows are not copied into pair mode (#14, review J: j18, j20).

rustc lists the impls that do exist (`f32` implements `Div`, `&f32` implements `Div<f32>`) and
points each at the toolchain's source with a `:::` arrow into a path only rustc's build machine
has, followed by the label of that span ("in this macro invocation"). Pair mode dropped the `-->`
form of that arrow and kept the `:::` form. The impls themselves stay: they are the fact. Real cargo
on a crate written here, and the rows alone.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from engine.explain.api import explain_report
from modes.rendering import lines_for
from modes.rustc_words import no_toolchain_paths
from tests.explain.crates import write_lib
from toolbelt.cargo_run import run_check

AVERAGE = """\
pub struct Gauge {
    pub readings: Vec<f32>,
}

impl Gauge {
    pub fn average(&self) -> f32 {
        let total: f32 = self.readings.iter().sum();
        total / self.readings.len()
    }
}
"""


def test_the_rows_that_frame_a_toolchain_arrow_go_with_it() -> None:
    rows = [
        "help: the following other types implement trait `Div<Rhs>`",
        "   = note: `f32` implements `Div`",
        "  ::: /rustc/59807616e1fa2540724bfbac14d7976d7e4a3860/library/core/src/ops/arith.rs:526:0",
        "   |",
        "   = note: in this macro invocation",
        "   |",
        "   = note: `&f32` implements `Div<f32>`",
        "  --> src/lib.rs:3:5",
        "   |",
        "3  |     x",
    ]
    assert no_toolchain_paths(rows) == [rows[0], rows[1], *rows[6:]]


@pytest.mark.slow
def test_pair_mode_keeps_the_impls_and_drops_their_build_paths(tmp_path: Path) -> None:
    report = run_check(write_lib(tmp_path, "gauge", AVERAGE), target_dir=tmp_path / "target")
    stories = explain_report(report)
    rendered = "\n".join(d.rendered or "" for e in stories for d in e.diagnostics)
    assert "::: /rustc/" in rendered  # rustc prints them: the test has something to drop
    shown = "\n".join(ln.text for e in stories for ln in lines_for(e, "pair", with_rustc=True))
    assert "/rustc/" not in shown and "in this macro invocation" not in shown, shown
    assert "`f32` implements `" in shown, shown  # the fact rustc gave stays
