"""E0521 at `thread::spawn` states spawn's `'static` rule, and E0521's general invariant is true
(#14, review C c07).

The entry said "a reference received as an argument cannot be stored somewhere that outlives the
call", false in general (`fn keep<'a>(v: &mut Vec<&'a str>, s: &'a str) { v.push(s) }` compiles);
at a spawn the rule at stake is that the spawned closure must be `'static`. Real cargo on a library
crate written here (not the reviewer's crate).
"""

from __future__ import annotations

from pathlib import Path

from engine.explain.kb_loader import load_kb
from tests.explain.crates import explain_lib

LOGGER = """use std::thread;

pub fn count_long(lines: &[String], min: usize) -> usize {
    let worker = thread::spawn(|| lines.iter().filter(|l| l.len() >= min).count());
    worker.join().unwrap()
}
"""


def test_spawn_states_the_static_closure_rule(tmp_path: Path) -> None:
    e = next(e for e in explain_lib(tmp_path, "logger", LOGGER) if e.code == "E0521")
    assert "`thread::spawn` must be `'static`" in e.invariant, e.invariant
    assert "may outlive the call" in e.invariant


def test_the_general_invariant_allows_storing_within_the_lifetime() -> None:
    entry = load_kb().get("E0521")
    assert entry is not None
    assert "cannot be stored somewhere that outlives the call" not in entry.invariant
    assert "only where nothing outlives its lifetime" in entry.invariant
