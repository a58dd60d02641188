"""State changed inside a closure taken as `Fn` (E0594/E0596 "captured variable in a `Fn` closure")
where the closure is stored as `Box<dyn Fn>`: rustc's "accept `FnMut`" does not compile there (#14).

Real cargo on crates written here: the Cell (a `Copy` counter) or RefCell (a `Vec`) way out is built
from the syntax tree, compiles and keeps the crate's tests green; where no way out compiles, pair
mode never shows the failed "accept `FnMut`" as the way out without saying it fails.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from engine.edits import apply_edits, by_file
from engine.explain.validation import validate
from modes.verdicts import pair_verdict_lines
from tests.explain.crates import cargo_test, explain_lib

pytestmark = pytest.mark.slow

HOOKS = """type Hook = Box<dyn Fn(u64)>;

pub struct Retry {
    hooks: Vec<Hook>,
}

impl Retry {
    pub fn on_retry<H: Fn(u64) + 'static>(&mut self, h: H) {
        self.hooks.push(Box::new(h));
    }
    pub fn fire(&self, delay: u64) {
        self.hooks.iter().for_each(|h| h(delay));
    }
}

pub fn counting(r: &mut Retry) -> std::rc::Rc<std::cell::Cell<u64>> {
    let total = std::rc::Rc::new(std::cell::Cell::new(0));
    let out = total.clone();
    let mut waited: u64 = 0;
    r.on_retry(move |d| {
        waited += d;
        out.set(waited);
    });
    total
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sums_delays() {
        let mut r = Retry { hooks: Vec::new() };
        let total = counting(&mut r);
        r.fire(10);
        r.fire(15);
        assert_eq!(total.get(), 25);
    }
}
"""

SEEN = """use std::rc::Rc;

pub struct Watch {
    on_change: Box<dyn Fn(&str) -> usize>,
}

pub fn recorder(log: Rc<std::cell::RefCell<Vec<String>>>) -> Watch {
    let mut seen = Vec::new();
    Watch {
        on_change: Box::new(move |path| {
            seen.push(path.to_string());
            log.borrow_mut().push(format!("{} changes", seen.len()));
            seen.len()
        }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_changes() {
        let log = Rc::new(std::cell::RefCell::new(Vec::new()));
        let w = recorder(log.clone());
        assert_eq!((w.on_change)("a.rs"), 1);
        assert_eq!((w.on_change)("b.rs"), 2);
        assert_eq!(log.borrow().join(","), "1 changes,2 changes");
    }
}
"""


def _applied(root: Path, edits) -> None:  # noqa: ANN001 - the fix's edits
    for rel, es in by_file(edits).items():
        p = root / rel
        p.write_bytes(apply_edits(p.read_bytes(), es))


@pytest.mark.parametrize(("name", "src", "wrapper"), [("hooks", HOOKS, "Cell"), ("seen", SEEN, "RefCell")])
def test_state_in_a_fn_closure_gets_a_cell(
    tmp_path: Path, monkeypatch, name: str, src: str, wrapper: str
) -> None:
    monkeypatch.setenv("RUSTA_CACHE_DIR", str(tmp_path / "cache"))
    stories = explain_lib(tmp_path, name, src)
    run = validate(stories, tmp_path / name)
    e = next(e for e in run.explanations if e.code in ("E0594", "E0596"))
    assert e.fixes, [(o.name, o.validated, o.fails_because) for o in run.failed[0]]
    first = e.fixes[0]
    assert first.validated == "compiles" and first.tests_run == "passed", (first.name, first.validated)
    assert f"std::cell::{wrapper}::new(" in " ".join(first.shows), first.shows
    assert not any("FnMut" in ln for ln in first.shows)
    _applied(tmp_path / name, first.edits)
    assert cargo_test(tmp_path / name).returncode == 0
    pair = " ".join(ln.text for ln in pair_verdict_lines(e, run.failed[0]))
    assert "Way out: accept `FnMut`" not in pair, pair


FLAGS = """type Handler = Box<dyn Fn(i32)>;

pub struct Pad {
    handlers: Vec<Handler>,
}

fn bump(n: &mut i32, by: i32) {
    *n += by;
}

impl Pad {
    pub fn on_key<F: Fn(i32) + 'static>(&mut self, f: F) {
        self.handlers.push(Box::new(f));
    }
}

pub fn wire(p: &mut Pad) {
    let mut presses = 0;
    p.on_key(move |k| {
        bump(&mut presses, k);
        println!("{presses}");
    });
}
"""


def test_a_failed_fnmut_is_never_the_way_out_in_silence(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setenv("RUSTA_CACHE_DIR", str(tmp_path / "cache"))
    stories = explain_lib(tmp_path, "flags", FLAGS)
    run = validate(stories, tmp_path / "flags")
    i, e = next((i, e) for i, e in enumerate(run.explanations) if e.code in ("E0594", "E0596"))
    failed = run.failed[i]
    fnmut = [o for o in failed if any("FnMut" in ln for ln in o.shows)]
    assert fnmut, [(o.name, o.validated) for o in failed]  # checked, and it fails: stored as `dyn Fn`
    pair = " ".join(ln.text for ln in pair_verdict_lines(e, failed))
    if "accept `FnMut`" in pair:
        assert "does not compile here" in pair, pair
    assert "does not compile here" in pair or e.fixes, pair
