"""State shared by threads (#14). Real cargo on crates written here.

- A closure sent to a thread captures two `Rc`s, and rustc reports one E0277 per `Rc` at the same
  span, the read-only one first. The story covers both, so the way out is decided by the one holding
  a `RefCell` (not `Sync`): pair mode names `std::sync::Mutex`, never `Arc` alone; and the fix is one
  patch over both handles (each `Rc` an `Arc`, the `RefCell` a `Mutex`), whose tests pass.
- A thread writes to (E0594) or borrows as mutable (E0596) the data in an `Arc`: an `Arc` gives every
  clone `&` only, so "take &mut" and "change a parameter" are no way out. The ways out are an atomic
  of the integer's own width (from rustc's help naming `Arc<u32>`), a lock, or returning each
  thread's part; a non-integer gets no atomic. The atomic is a patch too: the value made as the
  atomic, each write an atomic operation, each read a load; any other type a `std::sync::Mutex`
  locked at each use. Both patches' tests pass.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from engine.edits import apply_edits
from engine.explain.validation import validate
from modes.rendering import pair_lines
from tests.explain.crates import cargo_test, explain_lib, option_names, story, story_text

pytestmark = pytest.mark.slow

# a word counter: a read-only word list and a tally changed by every thread, captured by one closure
TALLY = """use std::cell::RefCell;
use std::collections::HashMap;
use std::rc::Rc;
use std::thread;

pub fn tally(words: Vec<String>, threads: usize) -> HashMap<String, usize> {
    let words = Rc::new(words);
    let counts: Rc<RefCell<HashMap<String, usize>>> = Rc::new(RefCell::new(HashMap::new()));
    let mut hs = Vec::new();
    for t in 0..threads {
        let words = Rc::clone(&words);
        let counts = Rc::clone(&counts);
        hs.push(thread::spawn(move || {
            for w in words.iter().skip(t).step_by(threads) {
                *counts.borrow_mut().entry(w.clone()).or_insert(0) += 1;
            }
        }));
    }
    for h in hs {
        h.join().unwrap();
    }
    let out = counts.borrow().clone();
    out
}

#[cfg(test)]
mod tests {
    #[test]
    fn counts_every_word() {
        let words = ["a", "b", "a"].map(String::from).to_vec();
        assert_eq!(super::tally(words, 2)["a"], 2);
    }
}
"""

# a hit counter and a log, each changed through an `Arc` by every thread
HITS = """use std::sync::Arc;
use std::thread;

pub fn hits(pages: Vec<&'static str>) -> u32 {
    let count = Arc::new(0u32);
    let mut hs = Vec::new();
    for p in pages {
        let count = Arc::clone(&count);
        hs.push(thread::spawn(move || {
            if p.starts_with('/') {
                *count += 1;
            }
        }));
    }
    for h in hs {
        h.join().unwrap();
    }
    *count
}

pub fn visited(pages: Vec<&'static str>) -> Vec<String> {
    let log = Arc::new(Vec::new());
    let mut hs = Vec::new();
    for p in pages {
        let log = Arc::clone(&log);
        hs.push(thread::spawn(move || log.push(p.to_uppercase())));
    }
    for h in hs {
        h.join().unwrap();
    }
    log.to_vec()
}
"""

# a length sum in an `Arc<usize>`, the handle copied inside an adapter's closure
LENGTHS = """use std::sync::Arc;
use std::thread;

pub fn total_len(parts: Vec<String>) -> usize {
    let sum = Arc::new(0usize);
    let hs: Vec<_> = parts
        .into_iter()
        .map(|p| {
            let sum = Arc::clone(&sum);
            thread::spawn(move || {
                *sum += p.len();
            })
        })
        .collect();
    for h in hs {
        h.join().unwrap();
    }
    *sum
}

#[cfg(test)]
mod tests {
    #[test]
    fn adds() {
        assert_eq!(super::total_len(vec!["ab".into(), "cde".into()]), 5);
    }
}
"""

# a set of hosts filled by every thread through an `Arc<BTreeSet<String>>`: E0596, a lock
HOSTS = """use std::collections::BTreeSet;
use std::sync::Arc;
use std::thread;

pub fn hosts(urls: Vec<String>) -> Vec<String> {
    let seen = Arc::new(BTreeSet::new());
    let hs: Vec<_> = urls
        .into_iter()
        .map(|u| {
            let seen = Arc::clone(&seen);
            thread::spawn(move || {
                seen.insert(u.split('/').next().unwrap_or("").to_string());
            })
        })
        .collect();
    for h in hs {
        h.join().unwrap();
    }
    let out: Vec<String> = seen.iter().cloned().collect();
    out
}

#[cfg(test)]
mod tests {
    #[test]
    fn distinct() {
        let urls = vec!["a/x".into(), "b/y".into(), "a/z".into()];
        assert_eq!(super::hosts(urls), vec!["a", "b"]);
    }
}
"""

NO_WAY = ("take &mut", "return a new value")


def test_two_rcs_in_one_closure_the_refcell_decides_and_pair_names_the_mutex(
    tmp_path: Path, monkeypatch
) -> None:
    monkeypatch.setenv("RUSTA_CACHE_DIR", str(tmp_path / "cache"))
    stories = explain_lib(tmp_path, "tally", TALLY)
    e = story(stories, TALLY, "hs.push(thread::spawn(move || {", "E0277")
    assert "Rc<Vec<String>>" in e.message  # rustc's first error names the read-only `Rc`
    assert option_names(e)[0] == "share it with Arc and Mutex", option_names(e)
    assert "`std::sync::Mutex`" in e.summary, e.summary
    run = validate([e], tmp_path / "tally")
    text = "\n".join(ln.text for ln in pair_lines(run.explanations[0]))
    assert "Mutex" in text, text
    # one patch makes both handles thread-safe: `Arc` for each, `Mutex` for the one that is changed
    (fix,) = run.explanations[0].fixes
    assert fix.validated == "compiles", fix.validated
    shown = " ".join(fix.shows)
    assert "Arc::new(words)" in shown and "Arc::new(Mutex::new(HashMap::new()))" in shown, shown
    path = tmp_path / "tally" / "src" / "lib.rs"
    path.write_bytes(apply_edits(path.read_bytes(), fix.edits))
    done = cargo_test(tmp_path / "tally")
    assert done.returncode == 0, done.stderr[-2000:]


def test_a_write_through_an_arc_is_an_atomic_a_lock_or_a_returned_part(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setenv("RUSTA_CACHE_DIR", str(tmp_path / "cache"))
    stories = explain_lib(tmp_path, "hits", HITS)
    counter = story(stories, HITS, "*count += 1", "E0594")
    names = option_names(counter)
    assert names[0] == "use an atomic", names
    assert "`std::sync::atomic::AtomicU32`" in counter.options[0].how  # `u32` from rustc's help
    assert "put it behind a lock" in names and "return each thread's part" in names
    assert not set(NO_WAY) & set(names), names
    assert "changing a parameter" not in story_text(counter) and "data behind a `&`" not in counter.invariant
    text = "\n".join(ln.text for ln in pair_lines(counter))
    assert "AtomicU32" in text, text

    log = story(stories, HITS, "log.push(p.to_uppercase())", "E0596")
    names = option_names(log)
    assert "use an atomic" not in names, names  # a `Vec` has no atomic
    assert names[0] == "put it behind a lock", names
    assert not set(NO_WAY) & set(names) and "take &mut in the signature" not in names, names


def test_an_integer_in_an_arc_becomes_its_atomic_in_one_patch_whose_tests_pass(
    tmp_path: Path, monkeypatch
) -> None:
    monkeypatch.setenv("RUSTA_CACHE_DIR", str(tmp_path / "cache"))
    (e,) = explain_lib(tmp_path, "lengths", LENGTHS)
    run = validate([e], tmp_path / "lengths")
    fix = next(f for f in run.explanations[0].fixes if "AtomicUsize::new(0usize)" in " ".join(f.shows))
    shown = " ".join(fix.shows)
    assert "sum.fetch_add(p.len(), Ordering::Relaxed)" in shown and "sum.load(Ordering::Relaxed)" in shown, (
        shown
    )
    assert fix.validated == "compiles", fix.validated
    path = tmp_path / "lengths" / "src" / "lib.rs"
    path.write_bytes(apply_edits(path.read_bytes(), fix.edits))
    done = cargo_test(tmp_path / "lengths")
    assert done.returncode == 0, done.stderr[-2000:]


def test_a_collection_in_an_arc_gets_a_mutex_in_one_patch_whose_tests_pass(
    tmp_path: Path, monkeypatch
) -> None:
    monkeypatch.setenv("RUSTA_CACHE_DIR", str(tmp_path / "cache"))
    (e,) = explain_lib(tmp_path, "hosts", HOSTS)
    assert e.code == "E0596" and "use an atomic" not in option_names(e)
    run = validate([e], tmp_path / "hosts")
    fix = next(
        f for f in run.explanations[0].fixes if "std::sync::Mutex::new(BTreeSet::new())" in " ".join(f.shows)
    )
    shown = " ".join(fix.shows)
    assert "seen.lock().unwrap().insert(" in shown and "seen.lock().unwrap().iter()" in shown, shown
    assert fix.validated == "compiles", fix.validated
    path = tmp_path / "hosts" / "src" / "lib.rs"
    path.write_bytes(apply_edits(path.read_bytes(), fix.edits))
    done = cargo_test(tmp_path / "hosts")
    assert done.returncode == 0, done.stderr[-2000:]
