"""A replacement's cost is the difference from what the replaced code already paid.

The general mistake: a fix that turns `Rc::new(RefCell::new(..))` into `Arc::new(Mutex::new(..))`
said it "allocates on the heap", pricing the new constructor as if nothing had allocated before;
the `Rc` allocated the same block. The cost is what the new types do differently: atomic owner
counts, and a lock per access. patchwords.inserted_copies now pairs one heap block constructor with
another the patch removes, and swap_cost names the difference. Real cargo on two small crates
written here, each needing the chain's second step (`into_inner` of a `Mutex` returns a `Result`).
"""

from __future__ import annotations

import pytest

from engine.explain.validation import validate
from tests.explain.crates import explain_lib, story

pytestmark = pytest.mark.slow

TALLY = """use std::cell::RefCell;
use std::rc::Rc;
use std::thread;

pub fn tally(items: Vec<u32>) -> u32 {
    let total = Rc::new(RefCell::new(0u32));
    let t = Rc::clone(&total);
    let h = thread::spawn(move || {
        for i in items {
            *t.borrow_mut() += i;
        }
    });
    h.join().unwrap();
    Rc::try_unwrap(total).ok().unwrap().into_inner()
}
"""

LOG = """use std::cell::RefCell;
use std::rc::Rc;

pub fn lines(words: Vec<String>) -> Vec<String> {
    let log = Rc::new(RefCell::new(Vec::new()));
    let w = Rc::clone(&log);
    std::thread::spawn(move || {
        for word in words {
            w.borrow_mut().push(word);
        }
    })
    .join()
    .unwrap();
    Rc::try_unwrap(log).ok().unwrap().into_inner()
}
"""


@pytest.mark.parametrize(
    ("name", "src", "at"), [("tally", TALLY, "thread::spawn"), ("log", LOG, "std::thread::spawn")]
)
def test_an_arc_for_an_rc_pays_no_new_allocation(tmp_path, name, src, at):
    e = story(explain_lib(tmp_path, name, src), src, at, "E0277")
    checked = validate([e], tmp_path / name).explanations[0]
    fix = next(f for f in checked.fixes if any("Arc::new(Mutex::new(" in ln for ln in f.patch.splitlines()))
    assert fix.validated == "compiles"
    assert "allocates" not in fix.cost
    assert "no new allocation" in fix.cost and "atomic" in fix.cost and "lock" in fix.cost
