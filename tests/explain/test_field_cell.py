"""A field changed through a `&self` receiver (E0596/E0594 "... behind a `&` reference"): the
validated way out keeps the field in a `Cell` or `RefCell` (`engine.repair.field_cell`), and a way
out in words that a failed check just disproved (`&mut self`, failing with E0500 where a closure
over `self` runs while the field changes) is never recommended (#14, review F f16).

Real cargo on crates written here: a public `Copy` counter bumped in an inherent `&self` method and read in
a `format!` (a `Cell`), and a memo table a trait's `&self` method fills while an iterator closure
calls it recursively (a `RefCell`; rustc's `&mut self` fails there), filled at two places and
cleared by a `&mut self` method (`get_mut` there, no run-time check). Each fix compiles, keeps the
crate's tests green once applied, and every snippet shown passes the honesty judge.
"""

from __future__ import annotations

from pathlib import Path

import msgspec
import pytest

from engine.edits import apply_edits, by_file
from engine.explain.validation import validate
from modes.rendering import render_text
from modes.verdicts import pair_verdict_lines, study_verdict_lines
from tests.explain import honesty
from tests.explain.crates import cargo_test, explain_lib

pytestmark = pytest.mark.slow

METER = """pub struct Meter {
    name: String,
    pub reads: u32,
}

impl Meter {
    pub fn new(name: &str) -> Meter {
        Meter { name: name.to_string(), reads: 0 }
    }
    pub fn label(&self) -> String {
        self.reads += 1;
        format!("{} ({})", self.name, self.reads)
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn counts() {
        let m = super::Meter::new("cpu");
        assert_eq!(m.label(), "cpu (1)");
        assert_eq!(m.label(), "cpu (2)");
    }
}
"""

DEPTH = """use std::collections::HashMap;

pub trait Depth {
    fn depth(&self, name: &str) -> usize;
}

pub struct Graph {
    deps: HashMap<String, Vec<String>>,
    seen: HashMap<String, usize>,
}

impl Graph {
    pub fn new(edges: &[(&str, &[&str])]) -> Self {
        let deps = edges
            .iter()
            .map(|(n, ds)| (n.to_string(), ds.iter().map(|d| d.to_string()).collect()))
            .collect();
        let seen = HashMap::new();
        Graph { deps, seen }
    }

    pub fn add(&mut self, name: &str, deps: &[&str]) {
        self.seen.clear();
        self.deps.insert(name.to_string(), deps.iter().map(|d| d.to_string()).collect());
    }
}

impl Depth for Graph {
    fn depth(&self, name: &str) -> usize {
        if let Some(d) = self.seen.get(name) {
            return *d;
        }
        if !self.deps.contains_key(name) {
            self.seen.insert(name.to_string(), 0);
            return 0;
        }
        let below = self.deps.get(name).map_or(0, |ds| ds.iter().map(|d| self.depth(d) + 1).max().unwrap_or(0));
        self.seen.insert(name.to_string(), below);
        below
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn chain() {
        let g = Graph::new(&[("app", &["net", "log"]), ("net", &["log"]), ("log", &[])]);
        assert_eq!(g.depth("app"), 2);
        assert_eq!(g.depth("log"), 0);
        let mut g = g;
        g.add("log", &["disk"]);
        assert_eq!(g.depth("app"), 3);
    }
}
"""


def _applied(root: Path, edits) -> None:  # noqa: ANN001 - the fix's edits
    for rel, es in by_file(edits).items():
        p = root / rel
        p.write_bytes(apply_edits(p.read_bytes(), es))


@pytest.mark.parametrize(("name", "src", "wrapper"), [("meter", METER, "Cell"), ("depth", DEPTH, "RefCell")])
def test_a_field_changed_through_shared_self_gets_a_cell(
    tmp_path: Path, monkeypatch, name: str, src: str, wrapper: str
) -> None:
    monkeypatch.setenv("RUSTA_CACHE_DIR", str(tmp_path / "cache"))
    stories = explain_lib(tmp_path, name, src)
    run = validate(stories, tmp_path / name)
    i, e = next((i, e) for i, e in enumerate(run.explanations) if e.code in ("E0594", "E0596"))
    cell = [f for f in e.fixes if f"std::cell::{wrapper}::new(" in " ".join(f.shows)]
    assert cell, [(o.name, o.validated, o.fails_because) for o in run.failed[i]]
    fix = cell[0]
    assert fix.validated == "compiles" and fix.tests_run == "passed", (fix.name, fix.validated)
    assert "no longer `Sync`" in fix.name, fix.name  # the cost, said from the type the fix writes
    assert ("API change" in fix.name) == (wrapper == "Cell"), fix.name  # `Meter::reads` is `pub`
    if wrapper == "RefCell":  # both fills change it; the `&mut self` method needs no run-time check
        shown = " ".join(fix.shows)
        assert shown.count("seen.borrow_mut().insert(") == 2 and "seen.get_mut().clear()" in shown, shown
    program = honesty.program_tokens(tmp_path / name)
    quotes = honesty.rustc_quotes(e.diagnostics)
    lies = [s.code for s in honesty.shown(e, render_text) if not honesty.judge(e, s, program, quotes)]
    assert not lies, lies
    _applied(tmp_path / name, fix.edits)
    assert cargo_test(tmp_path / name).returncode == 0


def test_a_disproved_mut_self_is_never_the_way_out(tmp_path: Path, monkeypatch) -> None:
    """rustc's `&mut self` fails with E0500 on the memo table: pair mode leads with the cell and never
    says "take &mut self"; study mode says that way out does not hold; the Why no longer says the `&`
    must become `&mut`."""
    monkeypatch.setenv("RUSTA_CACHE_DIR", str(tmp_path / "cache"))
    run = validate(explain_lib(tmp_path, "depth", DEPTH), tmp_path / "depth")
    i, e = next((i, e) for i, e in enumerate(run.explanations) if e.code == "E0596")
    failed = run.failed[i]
    assert any(o.source == "rustc" and "E0500" in o.fails_because for o in failed), failed
    pair = " ".join(ln.text for ln in pair_verdict_lines(e, failed))
    assert "take &mut self" not in pair and "RefCell" in pair, pair
    no_fix = msgspec.structs.replace(e, fixes=())
    pair = " ".join(ln.text for ln in pair_verdict_lines(no_fix, failed))
    assert "take &mut self" not in pair, pair  # without the cell fix too: the next way out instead
    study = " ".join(ln.text for ln in study_verdict_lines(no_fix, failed))
    assert "take &mut self" not in study or "not enough" in study or "does not hold" in study, study
    assert "must become `&mut`" not in e.why, e.why
