"""A diagnostic folded into a story keeps the notes that point into the crate (#14, review G: g05).

The second error of one cause is told in one "also" line; rustc's note on it that names the origin
("requirement that the value outlives `'static` introduced here", at the bound) was dropped with the
rest of its rendering, though it is often the most useful line rustc printed for it. Such a note
stays, with its place, when the lead's rendering does not already hold it. Real cargo on a crate
written here.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from engine.explain.api import explain_report
from modes.rendering import lines_for
from tests.explain.crates import line_of, write_lib
from toolbelt.cargo_run import run_check

TIMER = """\
pub struct Timer {
    hooks: Vec<Box<dyn FnMut(u64)>>,
}

impl Timer {
    pub fn on_tick<H: FnMut(u64) + 'static>(&mut self, h: H) {
        self.hooks.push(Box::new(h));
    }

    pub fn tick(&mut self, at: u64) {
        for h in &mut self.hooks {
            h(at);
        }
    }
}

pub fn count_ticks(timer: &mut Timer) -> u64 {
    let mut seen = 0;
    timer.on_tick(|t| {
        seen += t;
    });
    timer.tick(3);
    seen
}
"""


@pytest.mark.slow
def test_the_origin_note_of_a_folded_error_is_kept(tmp_path: Path) -> None:
    report = run_check(write_lib(tmp_path, "timer", TIMER), target_dir=tmp_path / "target")
    stories = [e for e in explain_report(report) if len(e.diagnostics) > 1]
    assert stories, [e.code for e in explain_report(report)]
    shown = [ln.text for ln in lines_for(stories[0], "pair", with_rustc=True)]
    also = next(i for i, t in enumerate(shown) if t.lstrip().startswith("also error["))
    bound = line_of(TIMER, "'static")
    assert re.fullmatch(
        rf"\s+note: requirement that the value outlives `'static` introduced here \(src/lib\.rs:{bound}:\d+\)",
        shown[also + 1],
    ), shown
