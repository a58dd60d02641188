""" "It starts at src/lib.rs:22" says what starts there (#14, review J: j12).

A root cause away from rustc's primary span was named by its line alone; the reader had to find
which token on that line was meant (the `&self` receiver). The code rustc's span at the root holds
(or, for an insertion point like rustc's `mut ` before `self`, the word it stands before) is quoted
beside the line. Real cargo on a crate written here.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from engine.explain.api import explain_report
from tests.explain.crates import line_of, write_lib
from toolbelt.cargo_run import run_check

TALLY = """\
use std::collections::HashMap;

pub struct Tally {
    hits: HashMap<String, u32>,
    order: Vec<String>,
}

impl Tally {
    pub fn record(&self, word: &str) {
        *self.hits.entry(word.to_string()).or_insert(0) += 1;
        self.order.push(word.to_string());
        self.order.sort();
    }
}
"""


@pytest.mark.slow
def test_the_root_cause_line_quotes_the_code_that_starts_there(tmp_path: Path) -> None:
    report = run_check(write_lib(tmp_path, "tally", TALLY), target_dir=tmp_path / "target")
    (story,) = [e for e in explain_report(report) if e.code == "E0596"]
    at = line_of(TALLY, "pub fn record")
    assert story.root_cause.line == at, story.root_cause
    assert f"It starts at src/lib.rs:{at} (`&self`)." in story.summary, story.summary
