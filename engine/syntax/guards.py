"""Whether a temporary is a lock or cell guard: `self.names.lock().unwrap()` on a field written
`Mutex<Vec<String>>` makes a `MutexGuard`, and what is borrowed through it lives in `self.names`.

Why: rustc's E0515 "cannot return value referencing temporary value" names no type. When the
temporary is a guard, the data is not something the function built (the caller's `self` holds it);
what cannot outlive the call is the guard, which the function drops at its end (unlocking, or
ending the cell's borrow). Saying "no input holds that content" there is the mistake this answers.
The guard's type comes from std's API for the guarded type as written (the field's or parameter's
type, through `&`, `Arc` and `Rc`), never from the method name alone. Pure over the source.
"""

from __future__ import annotations

import re

import tree_sitter

from engine.syntax.struct_items import struct_defs
from engine.syntax.tree import ancestors, node_at, node_text

# (guarded type, method) -> the guard std returns
_GUARDS = {
    ("Mutex", "lock"): "MutexGuard",
    ("RwLock", "read"): "RwLockReadGuard",
    ("RwLock", "write"): "RwLockWriteGuard",
    ("RefCell", "borrow"): "Ref",
    ("RefCell", "borrow_mut"): "RefMut",
}
_UNWRAPS = frozenset({"unwrap", "expect"})  # a `LockResult`'s guard, taken out
_WRAPPERS = re.compile(r"^(?:&\s*(?:'\w+\s+)?(?:mut\s+)?|(?:std::(?:sync|rc)::)?(?:Arc|Rc)<)")


def _method_call(n: tree_sitter.Node) -> tuple[str, tree_sitter.Node] | None:
    """`recv.m(..)`: the method's name and the receiver."""
    if n.type != "call_expression":
        return None
    f = n.child_by_field_name("function")
    if f is None or f.type != "field_expression":
        return None
    recv = f.child_by_field_name("value")
    return (node_text(f.child_by_field_name("field")), recv) if recv is not None else None


def _outer_type(written: str) -> str:
    """The guarded type's name: `Mutex` in `&Arc<std::sync::Mutex<Vec<u8>>>`."""
    t = written.strip()
    while (m := _WRAPPERS.match(t)) is not None:
        t = t[m.end() :].strip()
        if m.group(0).endswith("<"):
            t = t[: t.rfind(">")].strip() if ">" in t else t
    head = t.split("<", 1)[0].strip()
    return head.rsplit("::", 1)[-1]


def _written_type(source: bytes, recv: tree_sitter.Node) -> str | None:
    """The written type of `self.field` (the impl's struct) or of a parameter named `recv`."""
    if recv.type == "field_expression" and node_text(recv.child_by_field_name("value")) == "self":
        field = node_text(recv.child_by_field_name("field"))
        impl = next((a for a in ancestors(recv) if a.type == "impl_item"), None)
        owner = node_text(impl.child_by_field_name("type")).split("<", 1)[0] if impl is not None else ""
        for s in struct_defs("", source):
            if s.name == owner:
                return next((f.type_text for f in s.fields if f.name == field), None)
        return None
    if recv.type == "identifier":
        fn = next((a for a in ancestors(recv) if a.type == "function_item"), None)
        params = fn.child_by_field_name("parameters") if fn is not None else None
        for p in params.named_children if params is not None else []:
            if p.type == "parameter" and node_text(p.child_by_field_name("pattern")) == node_text(recv):
                return node_text(p.child_by_field_name("type"))
    return None


def guard_temporary(source: bytes, start: int, end: int) -> tuple[str, str, str] | None:
    """(guard type, guarded place, method) when the expression at [start, end) is a guard taken
    from a `Mutex`, `RwLock` or `RefCell` the program writes the type of (`MutexGuard`,
    `self.names`, `lock`); None otherwise."""
    n = node_at(source, start, end)
    call = _method_call(n)
    if call is not None and call[0] in _UNWRAPS:
        n = call[1]
        call = _method_call(n)
    if call is None:
        return None
    method, recv = call
    written = _written_type(source, recv)
    guard = _GUARDS.get((_outer_type(written), method)) if written else None
    return (guard, node_text(recv), method) if guard is not None else None
