"""engine.syntax.guards.relocked on source alone: a guard temporary whose block takes the same guard
again after its statement (a `let` for it would then deadlock or panic), and the cases that may
coexist or lock something else."""

from __future__ import annotations

import pytest

from engine.syntax.guards import guard_temporary, relocked


def _at(src: str, temp: str) -> tuple[bytes, int, int]:
    b = src.encode()
    i = b.index(temp.encode())
    return b, i, i + len(temp.encode())


CASES = [
    # (body, temporary, expected (guard, place, outcome) or None)
    (
        "let m = std::sync::Mutex::new(vec![1]);\n    let a = m.lock().unwrap().first();\n"
        "    let n = m.lock().unwrap().len();",
        "m.lock().unwrap()",
        ("MutexGuard", "m", "deadlocks"),
    ),
    (
        "let t = std::sync::RwLock::new(vec![1]);\n    let a = t.read().unwrap().first();\n"
        "    let n = t.read().unwrap().len();",
        "t.read().unwrap()",
        None,  # two read guards may coexist
    ),
    (
        "let t = std::sync::Arc::new(std::sync::RwLock::new(vec![1]));\n    let a = t.read().unwrap().first();\n"
        "    t.write().unwrap().push(2);",
        "t.read().unwrap()",
        ("RwLockReadGuard", "t", "deadlocks"),
    ),
    (
        "let c = std::cell::RefCell::new(vec![1]);\n    let a = c.borrow().first();\n    let n = c.borrow().len();",
        "c.borrow()",
        None,  # two shared borrows of a cell may coexist
    ),
    (
        "let c = std::cell::RefCell::new(vec![1]);\n    let a = c.borrow().first();\n    c.borrow_mut().push(2);",
        "c.borrow()",
        ("Ref", "c", "panics"),
    ),
    (
        "let m = std::sync::Mutex::new(vec![1]);\n    let o = std::sync::Mutex::new(vec![2]);\n"
        "    let a = m.lock().unwrap().first();\n    let n = o.lock().unwrap().len();",
        "m.lock().unwrap()",
        None,  # another mutex
    ),
]


@pytest.mark.parametrize(("body", "temp", "want"), CASES)
def test_relocked(body: str, temp: str, want: tuple[str, str, str] | None) -> None:
    src, start, end = _at(f"pub fn f() {{\n    {body}\n}}\n", temp)
    assert guard_temporary(src, start, end) is not None
    got = relocked(src, start, end)
    assert (got[:3] if got else None) == want, got
    if got is not None:
        assert got[3] == 4  # the later line that takes it again
