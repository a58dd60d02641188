"""A borrow moved into a thread that outlives its function: the ways out own or share the data, and
`std::thread::scope` is offered only where the function could hold the thread. Real cargo on
small library crates written here."""

from __future__ import annotations

import pytest

from tests.explain.crates import explain_lib, story_text
from tests.explain.crates import option_names as names
from tests.explain.programs import SHELF

pytestmark = pytest.mark.slow

RETURNS_HANDLE = """use std::thread;

pub fn shout(words: &[String]) -> thread::JoinHandle<usize> {
    thread::spawn(move || {
        let mut n = 0;
        for w in words {
            n += w.len();
        }
        n
    })
}
"""

JOINS_INSIDE = """use std::thread;

pub fn count(words: &[String]) -> usize {
    let h = thread::spawn(move || words.len());
    h.join().unwrap()
}
"""


def test_a_function_returning_the_join_handle_gets_owned_or_shared_data_not_a_scope(tmp_path):
    e = next(s for s in explain_lib(tmp_path, "returns_handle", RETURNS_HANDLE) if s.code == "E0521")
    assert names(e) == ["move an owned copy in", "share with Arc", "take ownership in the signature"]
    assert "`ToOwned`" in story_text(e) and "`std::sync::Arc`" in story_text(e)
    assert "thread::scope" not in story_text(e)


def test_a_thread_joined_inside_the_function_may_be_scoped(tmp_path):
    e = next(s for s in explain_lib(tmp_path, "joins_inside", JOINS_INSIDE) if s.code == "E0521")
    assert names(e)[0] == "scoped threads"  # no copy, no API change: first where it is possible


# each task's thread borrows an element of a slice of a type that is not `Clone`: `task.to_owned()`
# is another `&Task`, so "an owned copy" is no way out; the function joins its threads, so a scope is
TASKS = """use std::thread;

pub struct Task {
    pub id: u32,
    pub input: Vec<u8>,
}

fn weight(t: &Task) -> u32 {
    t.id + t.input.len() as u32
}

pub fn weigh_all(tasks: &[Task]) -> Vec<u32> {
    let mut handles = Vec::new();
    for task in tasks {
        handles.push(thread::spawn(|| weight(task)));
    }
    handles.into_iter().map(|h| h.join().unwrap()).collect()
}
"""


def test_no_owned_copy_of_a_type_without_clone(tmp_path):
    e = next(s for s in explain_lib(tmp_path, "tasks", TASKS) if s.code == "E0521")
    assert "move an owned copy in" not in names(e), names(e)
    assert "`ToOwned`" not in story_text(e)
    assert names(e)[0] == "scoped threads", names(e)


# A closure handed to an iterator adapter, borrowing a local through a method whose output lifetime
# is elided to `&self`'s: rustc says E0373 ("closure is returned here"), and no thread is anywhere.
ADAPTER_CLOSURE = SHELF[: SHELF.index("#[cfg(test)]")].rstrip() + "\n"


def test_a_closure_without_a_thread_gets_no_scoped_threads(tmp_path):
    e = next(s for s in explain_lib(tmp_path, "adapter_closure", ADAPTER_CLOSURE) if s.code == "E0373")
    assert "scoped threads" not in names(e)
    assert "thread::scope" not in story_text(e)
