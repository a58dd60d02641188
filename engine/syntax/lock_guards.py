"""Which lock an `.unwrap()` takes the guard of: `x.lock().unwrap()` on a value made as a `Mutex`.

Why it matters: an unwrap's panic condition is its receiver's type's, not one sentence for all.
`Mutex::lock`, `RwLock::read` and `RwLock::write` return a `LockResult`, whose `Err` is a
`PoisonError`: the unwrap panics only where another thread panicked while it held the lock, never
"where there is no value". The receiver's type is read from the tree: the name the lock method is
called on, followed through its copies (`let log = Arc::clone(&log);`) to the `let` or parameter
that made it, which must name the lock type. A name that cannot be followed (a field, a call's
result) gives no answer, and the caller then says nothing about poisoning.

Pure: bytes in, a type name out.
"""

from __future__ import annotations

from engine.syntax.shared_handles import names_type, origin_chain
from engine.syntax.tree import binding_of, node_text, parse, preorder

# std's lock methods whose result is a `LockResult` (`TryLockResult` for the `try_` ones), by the
# type that declares them
_LOCKS = {
    "lock": "Mutex",
    "try_lock": "Mutex",
    "read": "RwLock",
    "write": "RwLock",
    "try_read": "RwLock",
    "try_write": "RwLock",
}
_PANICKING = (b"unwrap", b"expect")


def guarded_lock(source: bytes, start: int, end: int) -> tuple[str, str] | None:
    """(lock type, method) of the first `.unwrap()`/`.expect(..)` between the bytes `start` and `end`
    whose receiver is a lock method called on a binding made as that lock type, or None."""
    for node in preorder(parse(source).root_node):
        if node.type != "call_expression" or node.end_byte <= start or node.start_byte >= end:
            continue
        fn = node.child_by_field_name("function")
        field = fn.child_by_field_name("field") if fn is not None and fn.type == "field_expression" else None
        if field is None or field.text not in _PANICKING:
            continue
        inner = fn.child_by_field_name("value") if fn is not None else None
        inner_fn = (
            inner.child_by_field_name("function")
            if inner is not None and inner.type == "call_expression"
            else None
        )
        if inner_fn is None or inner_fn.type != "field_expression":
            continue
        method = node_text(inner_fn.child_by_field_name("field"))
        holder = inner_fn.child_by_field_name("value")
        lock = _LOCKS.get(method)
        if lock is None or holder is None or holder.type != "identifier":
            continue
        b = binding_of(source, node_text(holder), holder.start_byte)
        if b is not None and any(names_type(source, link, lock) for link in origin_chain(source, b)):
            return lock, method
    return None
