"""A closure that "may outlive the current function" (E0373) because the crate's own callee bounds
its parameter by `'static`, and a `move` that copies the state the closure changes (#14, g05).

- The root cause is the `'static` the crate wrote (`impl FnMut() + 'static`, `where F: .. + 'static`),
  named in the story, never "it may run after the function returns": the closure is kept in a local.
  rustc's E0503 note points at the same bound, so its error stays in the story.
- A `Copy` local the closure assigns to and the function reads afterwards: `move` compiles and gives
  the closure its own copy, so the function reads the old value. That `move` is not offered (neither
  as an option nor as a fix); shared state is, and the bound's lifetime when the crate wrote it.
- That state is shared through `Rc<Cell<T>>` in a patch: the local wrapped, the closure given its own
  handle in an argument block with `move`, every use `get`/`set`; validated, and the tests pass.
- A closure that only reads keeps `move` (rustc's fix compiles).
- A parameter written `Box<dyn Fn() -> usize + 'static>` (rustc: E0597, "borrowed for `'static`" on
  the argument) is the root the same way, and no thread is named.

Real cargo on crates written here.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from engine.edits import apply_edits
from engine.explain.validation import validate
from tests.explain.crates import cargo_test, explain_lib, line_of, option_names, story_text

pytestmark = pytest.mark.slow

# a timer counting its ticks in a local `u32`, and a thread counting in a local `usize`
TICKS = """use std::thread;

pub struct Timer {
    on_tick: Vec<Box<dyn FnMut()>>,
}

impl Timer {
    pub fn on_tick(&mut self, f: impl FnMut() + 'static) {
        self.on_tick.push(Box::new(f));
    }

    pub fn run(&mut self, n: usize) {
        for _ in 0..n {
            for f in self.on_tick.iter_mut() {
                f();
            }
        }
    }
}

pub fn ticks(n: usize) -> u32 {
    let mut count = 0u32;
    let mut t = Timer { on_tick: Vec::new() };
    t.on_tick(|| count += 1);
    t.run(n);
    count
}

pub fn background(n: usize) -> usize {
    let mut done = 0;
    let h = thread::spawn(|| {
        for _ in 0..n {
            done += 1;
        }
    });
    h.join().unwrap();
    done
}
"""

# a filter whose predicate only reads a captured String: `move` is right there
FILTER = """pub struct Filter {
    preds: Vec<Box<dyn Fn(&str) -> bool>>,
}

impl Filter {
    pub fn add<F>(&mut self, f: F)
    where
        F: Fn(&str) -> bool + 'static,
    {
        self.preds.push(Box::new(f));
    }

    pub fn keep(&self, s: &str) -> bool {
        self.preds.iter().all(|p| p(s))
    }
}

pub fn with_prefix(lines: &[&str], prefix: String) -> usize {
    let mut f = Filter { preds: Vec::new() };
    f.add(|l| l.starts_with(&prefix));
    lines.iter().filter(|l| f.keep(l)).count()
}

#[cfg(test)]
mod tests {
    #[test]
    fn counts() {
        assert_eq!(super::with_prefix(&["ab", "b", "ac"], "a".into()), 2);
    }
}
"""

# a hook registry whose parameter writes `Box<dyn Fn() -> usize + 'static>`: rustc says E0597
HOOKS = """pub struct Hooks {
    all: Vec<Box<dyn Fn() -> usize + 'static>>,
}

impl Hooks {
    pub fn add(&mut self, f: Box<dyn Fn() -> usize + 'static>) {
        self.all.push(f);
    }
}

pub fn sizes(names: Vec<String>) -> usize {
    let mut h = Hooks { all: Vec::new() };
    h.add(Box::new(|| names.len()));
    h.all.iter().map(|f| f()).sum()
}
"""

# a log sink keeping the longest line in an annotated `usize`: the Rc<Cell> patch, with a test
LONGEST = """pub struct Log {
    sinks: Vec<Box<dyn FnMut(&str)>>,
}

impl Log {
    pub fn sink(&mut self, f: impl FnMut(&str) + 'static) {
        self.sinks.push(Box::new(f));
    }

    pub fn write(&mut self, s: &str) {
        for f in self.sinks.iter_mut() {
            f(s);
        }
    }
}

pub fn longest(lines: &[&str]) -> usize {
    let mut best: usize = 0;
    let mut log = Log { sinks: Vec::new() };
    log.sink(|s| {
        if s.len() > best {
            best = s.len();
        }
    });
    for l in lines {
        log.write(l);
    }
    best
}

#[cfg(test)]
mod tests {
    #[test]
    fn longest_line() {
        assert_eq!(super::longest(&["a", "abc", "ab"]), 3);
    }
}
"""


def _only_move(fix) -> bool:  # noqa: ANN001 - a PatchOption
    return all(e.replacement.strip() == "move" for e in fix.edits)


def test_a_written_static_bound_is_the_root_and_a_copied_counter_gets_no_move(
    tmp_path: Path, monkeypatch
) -> None:
    monkeypatch.setenv("RUSTA_CACHE_DIR", str(tmp_path / "cache"))
    stories = explain_lib(tmp_path, "ticks", TICKS)
    e = next(s for s in stories if s.code == "E0373" and s.primary.line == line_of(TICKS, "t.on_tick(||"))
    assert e.root_cause.line == line_of(TICKS, "pub fn on_tick("), e.root_cause
    assert "`on_tick` bounds its argument by `'static`" in e.summary, e.summary
    assert "after the function returns" not in story_text(e)
    assert "its own copy" in e.why, e.why
    names = option_names(e)
    assert names[:2] == ["give the bound a lifetime", "share the state through Rc"], names
    assert "move the captures" not in names
    assert not any(_only_move(f) for f in e.fixes), [f.shows for f in e.fixes]

    # no bound the crate wrote: `thread::spawn`'s own; the counter is still copied by `move`
    t = next(s for s in stories if s.code == "E0373" and s.primary.line == line_of(TICKS, "thread::spawn(||"))
    assert "bounds its argument" not in t.summary and "its own copy" in t.why
    assert "give the bound a lifetime" not in option_names(t) and "move the captures" not in option_names(t)
    assert not any(_only_move(f) for f in t.fixes)


def test_a_where_clause_static_bound_with_a_read_only_capture_keeps_move(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setenv("RUSTA_CACHE_DIR", str(tmp_path / "cache"))
    stories = explain_lib(tmp_path, "filter", FILTER)
    (e,) = [s for s in stories if s.code == "E0373"]
    assert e.root_cause.line == line_of(FILTER, "F: Fn(&str) -> bool + 'static"), e.root_cause
    assert "`add` bounds its argument by `'static`" in e.summary, e.summary
    assert option_names(e)[:2] == ["give the bound a lifetime", "move the captures"], option_names(e)
    run = validate([e], tmp_path / "filter")
    fix = next(f for f in run.explanations[0].fixes if _only_move(f))
    assert fix.validated == "compiles", fix.validated


def test_a_static_trait_object_parameter_is_the_root_of_a_borrow_kept_for_static(
    tmp_path: Path, monkeypatch
) -> None:
    monkeypatch.setenv("RUSTA_CACHE_DIR", str(tmp_path / "cache"))
    stories = explain_lib(tmp_path, "hooks", HOOKS)
    (e,) = [s for s in stories if s.code == "E0597"]
    assert e.root_cause.line == line_of(HOOKS, "pub fn add("), e.root_cause
    assert "passed to `add`, whose parameter is bounded by `'static`" in e.summary, e.summary
    assert "thread" not in story_text(e), story_text(e)
    assert option_names(e) == ["give the bound a lifetime", "hand ownership over"], option_names(e)


def test_the_copied_state_is_shared_through_rc_cell_in_a_patch_whose_tests_pass(
    tmp_path: Path, monkeypatch
) -> None:
    monkeypatch.setenv("RUSTA_CACHE_DIR", str(tmp_path / "cache"))
    stories = explain_lib(tmp_path, "longest", LONGEST)
    (e,) = [s for s in stories if s.code == "E0373"]
    run = validate([e], tmp_path / "longest")
    fixes = run.explanations[0].fixes
    assert not any(_only_move(f) for f in fixes)
    fix = next(f for f in fixes if "std::rc::Rc::new(std::cell::Cell::new(0))" in " ".join(f.shows))
    shown = " ".join(fix.shows)
    assert "std::rc::Rc<std::cell::Cell<usize>>" in shown and "best.set(s.len())" in shown, shown
    assert fix.validated == "compiles", fix.validated
    path = tmp_path / "longest" / "src" / "lib.rs"
    path.write_bytes(apply_edits(path.read_bytes(), fix.edits))
    done = cargo_test(tmp_path / "longest")
    assert done.returncode == 0, done.stderr[-2000:]
