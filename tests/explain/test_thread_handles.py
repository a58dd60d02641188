"""A handle that is not thread-safe reaches a thread through copies (#14). Real cargo on crates
written here.

- the root cause is where the value is made (`Rc::new`), followed back through a shadowing
  `let x = Rc::clone(&x)`, an `x.clone()` and a plain `let y = x`, never the nearest copy;
- the fix is one patch over every site: `Rc::new` and every `Rc::clone` become `Arc`, the `use`
  follows, and a `RefCell` whose copies call `borrow_mut` becomes a `Mutex` with its borrows
  turned into `lock().unwrap()`; validated in the scratch copy, and the patched crate's tests pass.
"""

from __future__ import annotations

import subprocess

import pytest

from engine.edits import apply_edits
from engine.explain.validation import validate
from modes.rendering import pair_lines
from tests.explain.crates import cargo_test, explain_lib, line_of

pytestmark = pytest.mark.slow

# a read-only table shared by copies: `.clone()` of the handle, then a plain move into another name
PRICES = """use std::collections::HashMap;
use std::rc::Rc;
use std::thread;

pub fn quote(items: Vec<(String, u32)>, prices: HashMap<String, u32>) -> u32 {
    let table = Rc::new(prices);
    let mut workers = Vec::new();
    for (name, qty) in items {
        let copy = table.clone();
        let mine = copy;
        workers.push(thread::spawn(move || mine.get(&name).copied().unwrap_or(0) * qty));
    }
    workers.into_iter().map(|w| w.join().unwrap()).sum()
}

#[cfg(test)]
mod tests {
    #[test]
    fn sums() {
        let p = [("pen".to_string(), 3)].into_iter().collect();
        assert_eq!(super::quote(vec![("pen".into(), 2), ("ink".into(), 5)], p), 6);
    }
}
"""

# a log changed by every thread: a shadowing `Rc::clone`, `borrow_mut` inside, `borrow` after join
LOG = """use std::cell::RefCell;
use std::rc::Rc;
use std::thread;

pub fn lengths(lines: Vec<String>) -> Vec<usize> {
    let log: Rc<RefCell<Vec<usize>>> = Rc::new(RefCell::new(Vec::new()));
    let mut hs = Vec::new();
    for line in lines {
        let log = Rc::clone(&log);
        hs.push(thread::spawn(move || {
            log.borrow_mut().push(line.len());
        }));
    }
    for h in hs {
        h.join().unwrap();
    }
    let mut out = log.borrow().clone();
    out.sort();
    out
}

#[cfg(test)]
mod tests {
    #[test]
    fn all() {
        assert_eq!(super::lengths(vec!["ab".into(), "c".into()]), vec![1, 2]);
    }
}
"""


def _fixed(tmp_path, name: str, src: str):
    (e,) = explain_lib(tmp_path, name, src)
    run = validate([e], tmp_path / name)
    (checked,) = run.explanations
    return e, checked


def _tests_pass(root, option) -> None:
    path = root / "src" / "lib.rs"
    path.write_bytes(apply_edits(path.read_bytes(), option.edits))
    done = cargo_test(root)
    assert done.returncode == 0, done.stderr[-2000:]


def test_copies_lead_back_to_rc_new_and_one_patch_changes_every_site(tmp_path) -> None:
    e, checked = _fixed(tmp_path, "prices", PRICES)
    assert e.root_cause.line == line_of(PRICES, "let table = Rc::new") != e.primary.line
    text = "\n".join(ln.text for ln in pair_lines(checked))
    assert f"Root cause: src/lib.rs:{line_of(PRICES, 'let table = Rc::new')}" in text
    copies = f"lines {line_of(PRICES, 'let copy =')}, {line_of(PRICES, 'let mine =')}"
    assert f"uses `mine`, through the copies of the handle at {copies}" in e.root_cause_reason
    fix = next(o for o in checked.fixes if "Arc::new" in " ".join(o.shows))
    assert fix.validated == "compiles", fix.fails_because
    assert "use std::sync::Arc;" in fix.shows and "    let table = Arc::new(prices);" in fix.shows
    assert not any("Rc" in ln for ln in fix.shows)
    _tests_pass(tmp_path / "prices", fix)


def test_a_refcell_changed_by_threads_becomes_a_mutex_at_every_borrow(tmp_path) -> None:
    e, checked = _fixed(tmp_path, "log", LOG)
    assert e.root_cause.line == line_of(LOG, "let log: Rc<RefCell") != line_of(LOG, "let log = Rc::clone")
    fix = next(o for o in checked.fixes if "Mutex" in " ".join(o.shows))
    assert fix.validated == "compiles", fix.fails_because
    shows = " ".join(fix.shows)
    for want in (
        "Arc<Mutex<Vec<usize>>>",
        "Arc::clone(&log)",
        "log.lock().unwrap().push",
        "use std::sync::Mutex;",
    ):
        assert want in shows, (want, fix.shows)
    assert "borrow" not in shows
    _tests_pass(tmp_path / "log", fix)


# `Arc` already imported beside `mpsc`, and another `Rc` that stays on one thread: the `use` of `Rc`
# stays, no second `use` of `Arc` is written, and the other `Rc` is left as it is
MIXED = """use std::rc::Rc;
use std::sync::{mpsc, Arc};
use std::thread;

pub fn local_len(words: Vec<String>) -> usize {
    let here = Rc::new(words);
    let again = Rc::clone(&here);
    again.len()
}

pub fn shout(words: Vec<String>) -> Vec<String> {
    let _keep: Option<Arc<u8>> = None;
    let shared = Rc::new(words);
    let (tx, rx) = mpsc::channel();
    let theirs = shared.clone();
    thread::spawn(move || {
        for w in theirs.iter() {
            tx.send(w.to_uppercase()).unwrap();
        }
    });
    rx.iter().collect()
}
"""


def test_only_the_sent_handle_changes_and_imports_stay_single(tmp_path) -> None:
    e, checked = _fixed(tmp_path, "mixed", MIXED)
    assert e.root_cause.line == line_of(MIXED, "let shared = Rc::new")
    fix = next(o for o in checked.fixes if "Arc::new" in " ".join(o.shows))
    assert fix.validated == "compiles", fix.fails_because
    after = apply_edits(MIXED.encode(), fix.edits).decode()
    assert after.count("use std::sync::{mpsc, Arc};") == 1 and "use std::sync::Arc;" not in after
    assert "use std::rc::Rc;" in after and "let again = Rc::clone(&here);" in after
    assert "let shared = Arc::new(words);" in after and "let theirs = shared.clone();" in after


# a `RefCell` only read by the threads, imported in a `use std::{…}` group
READERS = """use std::{cell::RefCell, rc::Rc};
use std::thread;

pub fn weighted(v: Vec<u32>) -> u32 {
    let data = Rc::new(RefCell::new(v));
    let mut hs = Vec::new();
    for k in 1..3u32 {
        let d = Rc::clone(&data);
        hs.push(thread::spawn(move || d.borrow().iter().map(|x| x * k).sum::<u32>()));
    }
    hs.into_iter().map(|h| h.join().unwrap()).sum()
}
"""


def test_a_refcell_only_read_becomes_an_rwlock_and_the_use_group_follows(tmp_path) -> None:
    _, checked = _fixed(tmp_path, "readers", READERS)
    fix = next(o for o in checked.fixes if "Arc::new" in " ".join(o.shows))
    assert fix.validated == "compiles", fix.fails_because
    assert "use std::{sync::RwLock, sync::Arc};" in fix.shows
    assert any("d.read().unwrap().iter()" in ln for ln in fix.shows)
    root = tmp_path / "readers"
    (root / "src" / "lib.rs").write_bytes(apply_edits(READERS.encode(), fix.edits))
    done = subprocess.run(["cargo", "check", "-q"], cwd=root, capture_output=True, text=True)
    assert done.returncode == 0 and "warning" not in done.stderr, done.stderr  # no unused `use` left


# the handle comes in as a parameter: its callers make it, so the root is the parameter, never
# "made here", and the one-file patch is not claimed to compile while a caller still passes an `Rc`
PARAM = """use std::rc::Rc;
use std::thread;

pub fn size(names: Rc<Vec<String>>) -> usize {
    let mine = Rc::clone(&names);
    thread::spawn(move || mine.len()).join().unwrap()
}

pub fn caller() -> usize {
    size(Rc::new(vec!["a".to_string()]))
}
"""


def test_a_handle_from_a_parameter_starts_at_the_parameter(tmp_path) -> None:
    e, checked = _fixed(tmp_path, "param", PARAM)
    assert e.root_cause.line == line_of(PARAM, "pub fn size(") and "comes in here" in (
        e.root_cause.label or ""
    )
    assert (
        "is a parameter whose type names `Rc`" in e.root_cause_reason
        and "made here" not in e.root_cause_reason
    )
    fix = next((o for o in checked.fixes if "Arc::clone(&names);" in " ".join(o.shows)), None)
    assert fix is None or fix.validated != "compiles"  # `caller` still hands in an `Rc`
