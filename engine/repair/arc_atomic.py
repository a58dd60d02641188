"""A write to the integer (or `bool`) inside an `Arc` shared by threads (E0594 "cannot assign to data in
an `Arc`"): the value becomes std's atomic of that type, each write an atomic operation (#14).

The general mistake: a counter shared through `Arc<u64>` and changed with `*total += s`. An `Arc`
gives every clone `&` only, so no `mut` or `&mut` can make the write compile; the value itself has to
synchronize each change. The type comes from rustc's help (`DerefMut` "is not implemented for
`Arc<u64>`"), the handle's copies from the syntax layer (`engine.syntax.shared_handles`, as the
`Rc` to `Arc` patch finds them). Where the value is made, `Arc::new(x)` becomes
`Arc::new(AtomicU64::new(x))`; each `*h op= e` of a copy becomes `h.fetch_add(e, Ordering::Relaxed)`
(`fetch_sub`, `fetch_or`, `fetch_and`, `fetch_xor`; `*h = e` a `store`), each other `*h` a `load`.
Relaxed is enough: the joins that end the threads order the final read. A use this cannot rewrite
(a method called through the `Arc`, a written type, `*h` on both sides of one write) gives no
candidate. Any other type inside (`Arc<Vec<String>>` pushed to, E0596 "cannot borrow data in an
`Arc` as mutable") gets a `std::sync::Mutex` around it where it is made, and each use through a
copy of the handle locks it (`arc_mutex`). Pure; the sandbox says whether it compiles.
"""

from __future__ import annotations

import re

import tree_sitter

from engine.repair.template_kit import Reader, _make, primary_source
from engine.repair.types import Candidate, Edit
from toolbelt.types import Diagnostic

FAMILY = "arc-atomic"
_INNER = re.compile(
    r"not implemented for `(?:std::sync::)?Arc<(bool|u8|u16|u32|u64|usize|i8|i16|i32|i64|isize)>`"
)
_OPS = {
    "+=": "fetch_add",
    "-=": "fetch_sub",
    "|=": "fetch_or",
    "&=": "fetch_and",
    "^=": "fetch_xor",
    "=": "store",
}


def _text(n: tree_sitter.Node | None) -> str:
    return (n.text or b"").decode("utf-8", "replace") if n is not None else ""


def _atomic(inner: str) -> str:
    return "AtomicBool" if inner == "bool" else "Atomic" + inner[0].upper() + inner[1:]


def _made(d: Diagnostic, read: Reader):  # noqa: ANN202 - (source, fn, arg, family) or None
    """The `Arc` rustc's span writes through: its `let` made by `Arc::new(x)` (no written type), the
    fn around it, `x`, and every copy of the handle (`engine.syntax.shared_handles`)."""
    opened = primary_source(d, read) if "data in an `Arc`" in d.message else None
    if opened is None:
        return None
    span, source = opened
    from engine.syntax.origins import holder_of
    from engine.syntax.shared_handles import handle_family
    from engine.syntax.tree import ancestors, declaration_of

    origin = holder_of(source, span.byte_start, span.byte_end, "Arc")
    decl = declaration_of(source, origin) if origin is not None else None
    if origin is None or decl is None or decl.type != "let_declaration" or decl.child_by_field_name("type"):
        return None
    value = decl.child_by_field_name("value")
    if value is None or value.type != "call_expression":
        return None
    args = value.child_by_field_name("arguments")
    if args is None or not _text(value.child_by_field_name("function")).endswith("Arc::new"):
        return None
    fn = next((a for a in ancestors(decl) if a.type == "function_item"), None)
    if fn is None or len(args.named_children) != 1:
        return None
    return source, fn, args.named_children[0], handle_family(source, origin)


def _uses(source: bytes, fn, family):  # noqa: ANN001, ANN202 - the handle's uses in `fn`
    """Each use of a copy of the handle other than a copy of it (`Arc::clone(&h)`, `h.clone()`)."""
    from engine.syntax.shared_handles import _bound_to
    from engine.syntax.tree import preorder

    spans = {(b.range.start, b.range.end) for b in family}
    for ident in preorder(fn):
        if ident.type != "identifier" or (ident.start_byte, ident.end_byte) in spans:
            continue
        if not _bound_to(source, ident, family):
            continue
        parent = ident.parent
        if parent is not None and parent.type == "reference_expression":
            continue
        if (
            parent is not None
            and parent.type == "field_expression"
            and _text(parent.child_by_field_name("field")) == "clone"
        ):
            continue
        yield ident


def arc_mutex(d: Diagnostic, read: Reader) -> list[Candidate]:
    """Any other value changed through an `Arc` (a `Vec` pushed to, a `String` assigned): a
    `std::sync::Mutex` around it where it is made, and each use through a copy of the handle locks
    it (`h.lock().unwrap()`). A use that is neither a method call nor `*h` gives no candidate."""
    made = _made(d, read)
    if made is None or d.primary is None or any(_INNER.search(c.message) for c in d.children):
        return []  # an integer or `bool` gets its atomic (`arc_atomic`)
    source, fn, arg, family = made
    file = d.primary.file_name
    edits = [
        Edit(
            file=file,
            start=arg.start_byte,
            end=arg.end_byte,
            replacement=f"std::sync::Mutex::new({_text(arg)})",
        )
    ]
    for ident in _uses(source, fn, family):
        parent = ident.parent
        method = parent is not None and parent.type == "field_expression"
        deref = parent is not None and parent.type == "unary_expression" and _text(parent).startswith("*")
        if not (method or deref):
            return []
        edits.append(
            Edit(file=file, start=ident.end_byte, end=ident.end_byte, replacement=".lock().unwrap()")
        )
    why = "put a `std::sync::Mutex` around the value where the `std::sync::Arc` is made, and lock it at each use"
    return [_make(edits, why, "arc-mutex", d.code_str or "E0596", 0.7)]


def arc_atomic(d: Diagnostic, read: Reader) -> list[Candidate]:
    made = _made(d, read)
    m = next((m for c in d.children if (m := _INNER.search(c.message))), None)
    if made is None or m is None or d.primary is None:
        return []
    from engine.syntax.shared_handles import first_use_end
    from engine.syntax.tree import preorder

    source, fn, arg, family = made
    span = d.primary
    inner, file = m.group(1), span.file_name
    atomic = _atomic(inner)
    order = "Ordering::Relaxed" if b"Ordering" not in source else "std::sync::atomic::Ordering::Relaxed"
    edits = [
        Edit(file=file, start=arg.start_byte, end=arg.end_byte, replacement=f"{atomic}::new({_text(arg)})")
    ]
    for ident in _uses(source, fn, family):
        parent = ident.parent
        if parent is None or parent.type != "unary_expression" or not _text(parent).startswith("*"):
            return []  # a method through the `Arc`, a move of the handle: not rewritten
        write = parent.parent
        name = _text(ident)
        if write is not None and write.type in ("assignment_expression", "compound_assignment_expr"):
            left = write.child_by_field_name("left")
            if left is not None and (left.start_byte, left.end_byte) == (parent.start_byte, parent.end_byte):
                op = _text(write.child_by_field_name("operator")) or "="
                rhs = write.child_by_field_name("right")
                if op not in _OPS or rhs is None or (inner == "bool" and op in ("+=", "-=")):
                    return []
                if any(_text(n) == name for n in preorder(rhs) if n.type == "identifier"):
                    return []  # `*h = *h + 1`: two edits in one place
                call = f"{name}.{_OPS[op]}({_text(rhs)}, {order})"
                edits.append(Edit(file=file, start=write.start_byte, end=write.end_byte, replacement=call))
                continue
        edits.append(
            Edit(file=file, start=parent.start_byte, end=parent.end_byte, replacement=f"{name}.load({order})")
        )
    names = atomic if order != "Ordering::Relaxed" else f"{{{atomic}, Ordering}}"
    at = first_use_end(source)
    use = f"use std::sync::atomic::{names};"
    edits.append(Edit(file=file, start=at or 0, end=at or 0, replacement=f"\n{use}" if at else f"{use}\n"))
    why = f"make the shared value an `{atomic}` where it is made, and each write an atomic operation"
    return [_make(edits, why, FAMILY, d.code_str or "E0594", 0.7)]
