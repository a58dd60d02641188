"""What makes a type not `Send` or not `Sync`, said exactly, from the type rustc names (#14).

The general mistake this replaces: one fixed sentence per shape ("`Rc` and `RefCell` ... so the
compiler marks them not `Send`") that lumps every thread-unsafe std type together. `Send` and `Sync`
differ: a `RefCell<T>` or a `Cell<T>` may move to another thread whenever `T` may (it is `Send`),
but no two threads may share one (it is never `Sync`); an `Rc` is neither. So the sentence is built
from the type rustc names as lacking the trait ("the trait `Send` is not implemented for
`Rc<RefCell<..>>`"), from std's own impls for its outer type, and from each std type inside it,
each stated with the trait it actually lacks.

Pure: a Diagnostic in, one paragraph out ("" when rustc names no std type this table knows).
"""

from __future__ import annotations

import re

from engine.explain.placeholders import short_type, texts
from engine.repair.send_result import returned_across
from toolbelt.types import Diagnostic

_NOT_IMPLEMENTED = re.compile(
    r"the trait `(?:std::marker::|core::marker::)?(Send|Sync)` is not implemented for `([^`]+)`"
)
_REQUIRED_FOR = re.compile(
    r"required for `([^`]+)` to implement `(?:std::marker::|core::marker::)?(Send|Sync)`"
)

# std's impls: (Send, Sync) where "T" means "when what it holds is", and why, in one clause
_STD: dict[str, tuple[str, str, str]] = {
    "Rc": ("never", "never", "counts its owners with plain (not atomic) arithmetic"),
    "RefCell": ("T", "never", "tracks its borrows with a plain (not atomic) flag"),
    "Cell": ("T", "never", "is changed through a shared `&` with no synchronization"),
    "UnsafeCell": ("T", "never", "is changed through a shared `&` with no synchronization"),
    "MutexGuard": ("never", "T", "must unlock on the thread that locked it"),
    "RwLockReadGuard": ("never", "T", "must unlock on the thread that locked it"),
    "RwLockWriteGuard": ("never", "T", "must unlock on the thread that locked it"),
    "Receiver": ("T", "never", "has one consumer, so no two threads may share it"),
}
_WORD = re.compile(r"[A-Za-z_]\w*")


def _heads(typ: str) -> list[str]:
    """The type names in `typ`, outermost first, paths dropped (`Rc<RefCell<Vec<u8>>>` -> Rc, RefCell, Vec)."""
    return [w for w in _WORD.findall(short_type(typ)) if w[0].isupper()]


def _is(kind: str, trait: str) -> str:
    if kind == "never":
        return f"never `{trait}`"
    return f"`{trait}` when what it holds is"


def named(diag: Diagnostic) -> tuple[str, str] | None:
    """(`Send` or `Sync`, the type rustc names as lacking it)."""
    for t in texts(diag):
        m = _NOT_IMPLEMENTED.search(t)
        if m:
            return m.group(1), m.group(2)
    return None


def statement(diag: Diagnostic) -> str:
    """Which type is not `Send`/`Sync` and why, then the other std types inside it as they are."""
    said = named(diag)
    if said is None:
        return ""
    trait, typ = said
    heads = _heads(typ)
    if not heads:
        return ""
    outer = heads[0]
    out: list[str] = []
    known = _STD.get(outer)
    send, sync, why = known if known else ("", "", "")
    if known and (send if trait == "Send" else sync) == "never":
        other = "Sync" if trait == "Send" else "Send"
        both = (sync if trait == "Send" else send) == "never"
        also = f", nor `{other}`" if both else f" (it is {_is(sync if trait == 'Send' else send, other)})"
        out.append(
            f"rustc names `{short_type(typ)}` as not `{trait}`: `{outer}` {why}, so it is never `{trait}`{also}."
        )
    else:
        out.append(f"rustc names `{short_type(typ)}` as not `{trait}`.")
    for inner in dict.fromkeys(heads[1:]):
        if inner in _STD and inner != outer:
            s, y, w = _STD[inner]
            out.append(
                f"The `{inner}` inside is {_is(s, 'Send')} and {_is(y, 'Sync')}: it {w}"
                + (
                    "; it does not stop this move, but shared by several threads through `std::sync::Arc` "
                    "it needs a lock (`std::sync::Mutex`) in its place."
                    if s != "never" and y == "never" and trait == "Send"
                    else "."
                )
            )
    for t in texts(diag):  # an `Arc<RefCell<T>>` is `Send` only when its contents are `Sync`
        m = _REQUIRED_FOR.search(t)
        if m and m.group(2) != trait and _heads(m.group(1))[:1] == ["Arc"]:
            out.append(
                f"`{short_type(m.group(1))}` is `{m.group(2)}` only when what it holds is `Send` and `Sync`, "
                "since every thread holding a clone can reach it."
            )
            break
    return " ".join(out)


def crossing(diag: Diagnostic, where: str) -> str:
    """Which value crosses a thread boundary, said from rustc's notes.

    The general mistake this replaces: "the code hands a value to another thread" said of every
    `Send` error at a `spawn`, while the value may be the one the closure returns, which goes back
    to the joining thread through `JoinHandle<T>` (spawn asks `F: Send` of the closure and its
    captures, `T: Send` of its result)."""
    said = named(diag)
    if said is None:
        return ""
    trait, typ = said
    result = returned_across(diag)
    if result is not None:
        return (
            f"What crosses threads at {where} is the value the spawned closure returns: `spawn` asks that"
            " the closure's result be Send as well as the closure, since the result goes back to the thread"
            f" that calls `join`; rustc finds `{short_type(typ)}`, which is not `Send`, inside that result,"
            f" `{short_type(result)}`. The closure's captures are not the problem."
        )
    return (
        f"The code at {where} hands a value to another thread (or shares it with one), and rustc says"
        f" its type is not `{trait}`."
    )
