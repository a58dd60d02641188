"""An inserted `.unwrap()` states the panic condition of its receiver's type (#14). Real cargo on
crates written here.

A lock method's `LockResult` panics only on a poisoned lock (another thread panicked while holding
it), never "where there is no value"; the lock type is read from the patched code, where the value
the method is called on is made. An `Option` still panics on `None`.
"""

from __future__ import annotations

import pytest

from engine.explain.meaning import adds_unwrap
from engine.explain.validation import validate
from tests.explain.crates import explain_lib

pytestmark = pytest.mark.slow

# tallies written by every thread: the `RefCell` becomes a `Mutex`, its `borrow_mut` a `lock().unwrap()`
TALLY = """use std::cell::RefCell;
use std::collections::HashMap;
use std::rc::Rc;
use std::thread;

pub fn tally(words: Vec<String>) -> usize {
    let seen = Rc::new(RefCell::new(HashMap::new()));
    let mut hs = Vec::new();
    for w in words {
        let seen = seen.clone();
        hs.push(thread::spawn(move || {
            *seen.borrow_mut().entry(w).or_insert(0) += 1;
        }));
    }
    for h in hs {
        h.join().unwrap();
    }
    let n = seen.borrow_mut().len();
    n
}
"""

# a table only read by the threads: the `RefCell` becomes an `RwLock`, its `borrow` a `read().unwrap()`
SCALES = """use std::cell::RefCell;
use std::rc::Rc;
use std::thread;

pub fn scaled(factors: Vec<f64>, x: f64) -> f64 {
    let table = Rc::new(RefCell::new(factors));
    let mine = Rc::clone(&table);
    thread::spawn(move || mine.borrow().iter().map(|f| f * x).sum::<f64>()).join().unwrap()
}
"""


@pytest.mark.parametrize(
    ("name", "src", "method", "lock"),
    [("tally", TALLY, "lock", "Mutex"), ("scales", SCALES, "read", "RwLock")],
)
def test_an_unwrap_on_a_lock_panics_only_where_the_lock_is_poisoned(
    tmp_path, name, src, method, lock
) -> None:
    (e,) = explain_lib(tmp_path, name, src)
    (checked,) = validate([e], tmp_path / name).explanations
    fix = next(o for o in checked.fixes if f"{method}().unwrap()" in " ".join(o.shows))
    assert fix.validated == "compiles", fix.fails_because
    assert f"`.unwrap()` on `{method}()` panics only where the `{lock}` is poisoned" in fix.cost, fix.cost
    assert "no value" not in fix.cost


_UNWRAP = "--- a/src/lib.rs\n+++ b/src/lib.rs\n@@ -1 +1 @@\n-    let g = m.lock();\n+    let g = m.lock().unwrap();\n"


def test_rustcs_found_type_decides_the_panic_condition() -> None:
    poisoned = adds_unwrap(_UNWRAP, "Result<MutexGuard<'_, u8>, PoisonError<MutexGuard<'_, u8>>>")
    assert poisoned.startswith("`.unwrap()` panics only where the lock is poisoned"), poisoned
    assert "poisoned" in adds_unwrap(_UNWRAP, "std::sync::LockResult<RwLockReadGuard<'_, u8>>")
    assert adds_unwrap(_UNWRAP, "Option<u8>") == "`.unwrap()` panics where the value is `None`"
    assert "or an error" in adds_unwrap(_UNWRAP, None)  # a `Result`'s unwrap panics on an error too
