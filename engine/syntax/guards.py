"""Whether a temporary is a lock or cell guard: `self.names.lock().unwrap()` on a field written
`Mutex<Vec<String>>` makes a `MutexGuard`, and what is borrowed through it lives in `self.names`.

Why: rustc's E0515 "cannot return value referencing temporary value" names no type. When the
temporary is a guard, the data is not something the function built (the caller's `self` holds it);
what cannot outlive the call is the guard, which the function drops at its end (unlocking, or
ending the cell's borrow). Saying "no input holds that content" there is the mistake this answers.
The guard's type comes from std's API for the guarded type as written (the field's or parameter's
type, a local's annotation or the constructor path it is made with, `Arc::new(Mutex::new(..))`,
through `&`, `Arc` and `Rc`), never from the method name alone. Pure over the source.

`relocked` answers E0716's twin mistake: naming a guard temporary (`let binding = reg.lock().unwrap();`,
rustc's own help) keeps the lock to the end of the block, and a later lock of the same place in that
block waits for it forever (std's `Mutex` and `RwLock` are not reentrant) or, for a `RefCell`, panics.
"""

from __future__ import annotations

import re

import tree_sitter

from engine.syntax.struct_items import struct_defs
from engine.syntax.tree import ancestors, binding_of, declaration_of, node_at, node_text, preorder

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
            if s.name == owner and s.tuple_struct and field.isdigit():  # `self.0` of `struct S(Mutex<T>)`
                return s.fields[int(field)].type_text if int(field) < len(s.fields) else None
            if s.name == owner:
                return next((f.type_text for f in s.fields if f.name == field), None)
        return None
    if recv.type == "identifier" and (b := binding_of(source, node_text(recv), recv.start_byte)) is not None:
        decl = declaration_of(source, b) if b.kind == "let" else None
        if decl is not None and decl.type == "let_declaration":
            written = decl.child_by_field_name("type")
            return (
                node_text(written) if written is not None else _made_type(decl.child_by_field_name("value"))
            )
    if recv.type == "identifier":
        fn = next((a for a in ancestors(recv) if a.type == "function_item"), None)
        params = fn.child_by_field_name("parameters") if fn is not None else None
        for p in params.named_children if params is not None else []:
            if p.type == "parameter" and node_text(p.child_by_field_name("pattern")) == node_text(recv):
                return node_text(p.child_by_field_name("type"))
    return None


def _made_type(value: tree_sitter.Node | None) -> str | None:
    """The type a constructor chain names: `Arc<Mutex<_>>` for `Arc::new(Mutex::new(..))` (the path
    before `::new`, through each first argument); None for anything else."""
    names: list[str] = []
    while value is not None and value.type == "call_expression":
        f = value.child_by_field_name("function")
        if f is None or f.type != "scoped_identifier" or node_text(f.child_by_field_name("name")) != "new":
            break
        names.append(node_text(f.child_by_field_name("path")).rsplit("::", 1)[-1])
        args = value.child_by_field_name("arguments")
        value = args.named_children[0] if args is not None and args.named_children else None
    return "".join(f"{n}<" for n in names) + "_" + ">" * len(names) if names else None


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


# the guard methods of one guarded type, and what a second guard taken while the first is held does
_TAKES = {"lock": "Mutex", "read": "RwLock", "write": "RwLock", "borrow": "RefCell", "borrow_mut": "RefCell"}


def relocked(source: bytes, start: int, end: int) -> tuple[str, str, str, int] | None:
    """(guard type, guarded place, outcome, line) when the guard temporary at [start, end) sits in a
    statement after which the same block takes a guard of the same place again (`reg.lock()` on a
    later line): holding the first to the end of the block, as a `let` for it does, makes that one
    wait for it forever ("deadlocks"), or for a `RefCell` where either borrow is `borrow_mut`,
    "panics". Two `read` guards of an `RwLock`, or two `borrow`s, may coexist: None."""
    g = guard_temporary(source, start, end)
    if g is None:
        return None
    guard, place, method = g
    n = node_at(source, start, end)
    stmt = next((a for a in ancestors(n) if a.parent is not None and a.parent.type == "block"), None)
    block = stmt.parent if stmt is not None else None
    if stmt is None or block is None:
        return None
    kind = _TAKES[method]
    for later in block.named_children:
        if later.start_byte < stmt.end_byte:
            continue
        for c in preorder(later):
            call = _method_call(c)
            if call is None or node_text(call[1]) != place or _TAKES.get(call[0]) != kind:
                continue
            if kind == "RefCell" and "borrow_mut" not in (method, call[0]):
                continue
            if kind == "RwLock" and method == call[0] == "read":
                continue
            outcome = "panics" if kind == "RefCell" else "deadlocks"
            return guard, place, outcome, source[: c.start_byte].count(b"\n") + 1
    return None
