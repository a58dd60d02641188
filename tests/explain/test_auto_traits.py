"""`Send` and `Sync` stated exactly, from the type rustc names (#14). Real cargo on crates written here.

- an `Rc<Cell<u32>>` sent to a thread: rustc names the `Rc`; the story says the `Rc` is neither `Send`
  nor `Sync`, and the `Cell` inside is `Send` (when what it holds is) but never `Sync`, never that
  the `Cell` is not `Send`; no patch is built for a `Cell` (an atomic would need other calls);
- an `Arc<RefCell<Vec<u32>>>` sent to a thread: rustc names the `RefCell` as not `Sync`; the story
  says so and why the `Arc` needs it, and the patch turns the `RefCell` into a `Mutex` at every
  borrow, which compiles.
"""

from __future__ import annotations

import pytest

from engine.explain.validation import validate
from tests.explain.crates import explain_lib

pytestmark = pytest.mark.slow

TICKS = """use std::cell::Cell;
use std::rc::Rc;
use std::thread;

pub fn tick() -> u32 {
    let count = Rc::new(Cell::new(0u32));
    let mine = Rc::clone(&count);
    thread::spawn(move || mine.set(mine.get() + 1)).join().unwrap();
    count.get()
}
"""

SCORES = """use std::cell::RefCell;
use std::sync::Arc;
use std::thread;

pub fn scores(n: u32) -> Vec<u32> {
    let board = Arc::new(RefCell::new(Vec::new()));
    let hs: Vec<_> = (0..n)
        .map(|i| {
            let board = Arc::clone(&board);
            thread::spawn(move || board.borrow_mut().push(i * 10))
        })
        .collect();
    for h in hs {
        h.join().unwrap();
    }
    let mut v = board.borrow().clone();
    v.sort();
    v
}
"""


def test_an_rc_of_a_cell_says_which_type_lacks_which_trait(tmp_path) -> None:
    (e,) = explain_lib(tmp_path, "ticks", TICKS)
    assert e.root_cause.line == 6  # `let count = Rc::new(..)`, not the copy `mine`
    assert "rustc names `Rc<Cell<u32>>` as not `Send`" in e.why
    assert (
        "`Rc` counts its owners with plain (not atomic) arithmetic, so it is never `Send`, nor `Sync`"
        in e.why
    )
    assert "The `Cell` inside is `Send` when what it holds is and never `Sync`" in e.why
    assert "marks them not `Send`" not in e.why
    assert not any("Arc::new" in ln for o in e.fixes for ln in o.shows)  # a `Cell` patch is not built


def test_an_arc_of_a_refcell_is_not_sync_and_its_patch_locks(tmp_path) -> None:
    (e,) = explain_lib(tmp_path, "scores", SCORES)
    assert "rustc names `RefCell<Vec<u32>>` as not `Sync`" in e.why, e.why
    assert "(it is `Send` when what it holds is)" in e.why
    assert "is `Send` only when what it holds is `Send` and `Sync`" in e.why
    (checked,) = validate([e], tmp_path / "scores").explanations
    fix = next(o for o in checked.fixes if any("Mutex" in ln for ln in o.shows))
    assert fix.validated == "compiles", fix.fails_because
    shows = " ".join(fix.shows)
    assert "Arc::new(Mutex::new(Vec::new()))" in shows and "board.lock().unwrap().push" in shows
    assert "borrow" not in shows
