"""A handle that is not thread-safe sent to a thread (E0277 "`Rc<…>` cannot be sent between threads
safely", or "`RefCell<…>` cannot be shared" inside an `Arc`): one patch that changes the type where the
value is made, every copy of the handle, the calls that borrow it, and the `use` that names it (#14).

The general mistake a one-line fix makes here: a handle's type is written at every copy
(`Rc::clone(&x)`), so changing only the construction, or only the copy rustc's span is nearest to,
does not compile. The sites come from the syntax layer (`engine.syntax.shared_handles`: the value's
origin, and every binding that copies it); which types change comes from the type rustc names:

- `Rc<T>`: `Rc` becomes `std::sync::Arc`;
- a `RefCell` inside it (or the `RefCell` rustc names as not `Sync` inside an `Arc`) becomes
  `std::sync::Mutex` when some copy calls `borrow_mut`, its calls `lock().unwrap()`; a `RefCell`
  only read becomes `std::sync::RwLock` with `read().unwrap()`;
- a `Cell` inside would become an atomic, whose calls differ by type: not built, the prose option
  stays;
- every other `Rc` the same span uses changes in the same patch: rustc reports one error per type
  there (a closure capturing an `Rc<Vec<..>>` and an `Rc<RefCell<..>>`), and a patch that changes one
  handle leaves the other's error, so it fixes neither story.

Pure: a Diagnostic and a file reader in, Candidates out; validation says whether the patch compiles.
"""

from __future__ import annotations

import re

import msgspec

from engine.repair.template_kit import Reader, _make, primary_source
from engine.repair.types import Candidate, Edit
from toolbelt.types import Diagnostic

_NOT_THREAD_SAFE = re.compile(r"cannot be (sent|shared) between threads safely")
_NOT_IMPLEMENTED = re.compile(
    r"the trait `(?:std::marker::|core::marker::)?(Send|Sync)` is not implemented for `([^`]+)`"
)
_HEAD = re.compile(r"(?:\w+::)*(\w+)(?:<(.*)>)?$")


def _heads(typ: str) -> tuple[str, str]:
    """The outer type's name and the name of its first type argument's outer type."""
    m = _HEAD.match(typ.strip())
    if m is None:
        return "", ""
    inner = _HEAD.match((m.group(2) or "").strip())
    return m.group(1), inner.group(1) if inner else ""


def named_type(d: Diagnostic) -> tuple[str, str] | None:
    """(`Send` or `Sync`, the type rustc says lacks it), from the message or a child's."""
    if not _NOT_THREAD_SAFE.search(d.message):
        return None
    for text in (d.message, *(c.message for c in d.children)):
        m = _NOT_IMPLEMENTED.search(text)
        if m:
            return m.group(1), m.group(2)
    return None


def thread_safe_handle(d: Diagnostic, read: Reader) -> list[Candidate]:
    said = named_type(d)
    opened = primary_source(d, read)
    if said is None or opened is None:
        return []
    span, source = opened
    _trait, typ = said
    outer, inner = _heads(typ)
    if outer == "Rc":
        swap_rc, cell = True, inner if inner in ("RefCell", "Cell") else ""
        head = "Rc"
    elif outer in ("RefCell", "Cell"):  # an `Arc<RefCell<T>>`: the `RefCell` is not `Sync`
        swap_rc, cell, head = False, outer, outer
    else:
        return []
    if cell == "Cell":
        return []  # an atomic per integer type, with other calls: not built here
    from engine.syntax.origins import holder_of, holders_of

    # one closure capturing two handles gets one error per type at one span: the binding whose value
    # names the type's inner head (`RefCell` of `Rc<RefCell<..>>`, `Vec` of `Rc<Vec<..>>`) is this one
    origin = (
        holder_of(source, span.byte_start, span.byte_end, inner) if swap_rc and inner else None
    ) or holder_of(source, span.byte_start, span.byte_end, head)
    if origin is None:
        return []
    file = span.file_name
    built = _origin_edits(source, file, origin, swap_rc, cell)
    if built is None:
        return []
    edits, changed, lock = built
    if swap_rc:  # every other `Rc` the span uses is refused too (rustc's other errors there): one patch
        for other in holders_of(source, span.byte_start, span.byte_end, "Rc"):
            if other == origin:
                continue
            from engine.syntax.shared_handles import names_type

            if names_type(source, other, "Cell"):
                continue  # no atomic built: that error stays, and validation says so
            more = _origin_edits(
                source, file, other, True, "RefCell" if names_type(source, other, "RefCell") else ""
            )
            if more is not None:
                edits += more[0]
                changed += more[1]
                lock = lock or more[2]
    changed = _merged(changed)
    if changed and not (uses := _imports(source, file, changed)) and _needs_use(source, changed):
        # no `use` item to replace or stand beside: every site writes the whole path
        edits = [msgspec.structs.replace(e, replacement=_whole(e.replacement)) for e in edits]
    else:
        edits += uses
    if not edits:
        return []
    what = "`Rc` becomes `Arc`" if swap_rc else ""
    if lock:
        verb = "`lock()`" if lock == "Mutex" else "`read()`/`write()`"
        what += (" and " if what else "") + f"`RefCell` becomes `{lock}` (its borrows call {verb})"
    where = (
        "where its type is set (a parameter: callers change too)"
        if origin.kind == "param"
        else "where it is made"
    )
    why = f"make the shared value thread-safe {where} and at every copy: {what}"
    return [_make(edits, why, "thread-safe-handle", d.code_str or "E0277", 0.7)]


def _origin_edits(
    source: bytes,
    file: str,
    origin,
    swap_rc: bool,
    cell: str,  # noqa: ANN001 - a syntax Binding
) -> tuple[list[Edit], list[tuple[str, str, tuple]], str] | None:
    """The edits that make one handle thread-safe at every copy, the (old, new path, sites) they
    change, and the lock a `RefCell` became ("" when none)."""
    from engine.syntax.shared_handles import handle_family, receiver_calls, type_sites

    family = handle_family(source, origin)
    edits: list[Edit] = []
    changed: list[tuple[str, str, tuple]] = []
    if swap_rc:
        sites = type_sites(source, family, "Rc")
        edits += [
            Edit(file=file, start=s.start, end=s.end, replacement=_renamed(s.text, "Arc")) for s in sites
        ]
        changed.append(("Rc", "std::sync::Arc", sites))
    lock = ""
    if cell == "RefCell":
        calls = receiver_calls(source, family, ("borrow", "borrow_mut"))
        lock = "Mutex" if any(m == "borrow_mut" for m, _ in calls) else "RwLock"
        sites = type_sites(source, family, "RefCell")
        if not sites:
            return None
        edits += [
            Edit(file=file, start=s.start, end=s.end, replacement=_renamed(s.text, lock)) for s in sites
        ]
        for m, r in calls:
            call = (
                "lock().unwrap()"
                if lock == "Mutex"
                else ("write" if m == "borrow_mut" else "read") + "().unwrap()"
            )
            edits.append(Edit(file=file, start=r.start, end=r.end, replacement=call))
        changed.append(("RefCell", f"std::sync::{lock}", sites))
    return edits, changed, lock


def _merged(changed: list[tuple[str, str, tuple]]) -> list[tuple[str, str, tuple]]:
    """One (old, new path, sites) per old name and new path, the sites of every handle together."""
    out: dict[tuple[str, str], tuple] = {}
    for old, new, sites in changed:
        out[(old, new)] = out.get((old, new), ()) + tuple(sites)
    return [(old, new, sites) for (old, new), sites in out.items()]


def _whole(text: str) -> str:
    return f"std::sync::{text}" if text in ("Arc", "Mutex", "RwLock") else text


def _needs_use(source: bytes, changed: list[tuple[str, str, tuple]]) -> bool:
    from engine.syntax.shared_handles import imports

    return any(
        not imports(source, new.rsplit("::", 1)[1]) and any("::" not in s.text for s in sites)
        for _, new, sites in changed
    )


def _renamed(text: str, new: str) -> str:
    """`Rc` -> `Arc`; a written path `std::rc::Rc` -> `std::sync::Arc`."""
    return f"std::sync::{new}" if "::" in text else new


def _imports(source: bytes, file: str, changed: list[tuple[str, str, tuple]]) -> list[Edit]:
    """The `use` of each old name becomes the new one when nothing else names it; otherwise the new
    `use` goes after it. Nothing when the new name is already imported."""
    from engine.syntax.shared_handles import first_use_end, imports, named_outside, use_sites

    out: list[Edit] = []
    for old, new_path, sites in changed:
        new = new_path.rsplit("::", 1)[1]
        uses = use_sites(source, old)
        plain = [s for s in sites if "::" not in s.text]
        if not plain:
            continue  # every site writes the whole path
        alone = bool(uses) and not named_outside(source, old, sites)
        if imports(source, new):
            if alone and not uses[0].in_std_group:  # the old `use` would be unused: it goes, with its line
                u = uses[0].range
                end = u.end + 1 if source[u.end : u.end + 1] == b"\n" else u.end
                out.append(Edit(file=file, start=u.start, end=end, replacement=""))
            continue
        if alone:  # `use std::rc::Rc;` -> `use std::sync::Arc;`; in `use std::{…}`, `rc::Rc` -> `sync::Arc`
            u, grouped = uses[0].range, uses[0].in_std_group
            text = new_path.removeprefix("std::") if grouped else f"use {new_path};"
            out.append(Edit(file=file, start=u.start, end=u.end, replacement=text))
            continue
        at = uses[0].range.end if uses else first_use_end(source)
        if at is None:
            return []  # no `use` to stand beside: the caller writes whole paths
        out.append(Edit(file=file, start=at, end=at, replacement=f"\nuse {new_path};"))
    return out
