"""A fix that names a lock or cell guard says what holding it costs, and loses its ✓ where it
deadlocks.

The general mistake (review E, e16): rustc's E0716 help `let binding = reg.lock().unwrap();` makes a
guard temporary live to the end of the block. That compiles, and reads as "give the value a name",
but for a `MutexGuard` the lock is held as long: a later `reg.lock()` in the same block waits for it
forever (std's `Mutex` and `RwLock` are not reentrant), and a `RefCell` borrowed mutably twice
panics. The fix is found by parsing the patched file: a `let` whose value is the guard temporary
rustc marked; the later lock comes from the original block (`engine.syntax.guards.relocked`).
"""

from __future__ import annotations

from pathlib import Path

import msgspec

from engine.explain.types import Explanation, PatchOption
from engine.syntax.guards import guard_temporary, relocked
from engine.syntax.tree import compact, node_text, parse, preorder
from toolbelt.span_source import span_source

_WHY = {
    "deadlocks": "std's locks are not reentrant",
    "panics": "a `RefCell` allows one `borrow_mut` at a time",
}


def _patched(src: bytes, o: PatchOption, file: str) -> bytes:
    for ed in sorted((ed for ed in o.edits if ed.file == file), key=lambda ed: -ed.start):
        src = src[: ed.start] + ed.replacement.encode() + src[ed.end :]
    return src


def _names_guard(src: bytes, temp: str) -> list[str]:
    """The names the `let`s in `src` give the guard temporary `temp` (its text, spaces aside)."""
    want = compact(temp)
    out = []
    for n in preorder(parse(src).root_node):
        if n.type != "let_declaration":
            continue
        pat, value = n.child_by_field_name("pattern"), n.child_by_field_name("value")
        if (
            pat is not None
            and pat.type == "identifier"
            and value is not None
            and compact(node_text(value)) == want
        ):
            out.append(node_text(pat))
    return out


def _named_by(src: bytes, patched: bytes, temp: str) -> str | None:
    """The name the fix gives the guard: a `let` of it the patched file has and the original lacks
    (a `let g = reg.lock().unwrap();` the program already wrote elsewhere is not the fix's)."""
    before = _names_guard(src, temp)
    for name in _names_guard(patched, temp):
        if name in before:
            before.remove(name)
        else:
            return name
    return None


def marked(root: Path, e: Explanation) -> Explanation:
    """The story with each fix that names the guard temporary marked (`PatchOption.guard_held`, and
    `relocks` when the same block takes that guard again after it); E0716 only."""
    d = e.diagnostics[0] if e.code == "E0716" and e.diagnostics else None
    prim = d.primary if d is not None else None
    src = span_source(root, prim) if prim is not None else None
    if prim is None or src is None:
        return e
    g = guard_temporary(src, prim.byte_start, prim.byte_end)
    if g is None:
        return e
    again = relocked(src, prim.byte_start, prim.byte_end)
    temp = src[prim.byte_start : prim.byte_end].decode("utf-8", "replace")
    fixes = list(e.fixes)
    for i, o in enumerate(fixes):
        if not o.edits or (name := _named_by(src, _patched(src, o, prim.file_name), temp)) is None:
            continue
        words = f"`{name}` holds the {g[0]} of `{g[1]}` until the end of the block"
        if again is not None:
            words += f", and line {again[3]} takes it again: it {again[2]} ({_WHY[again[2]]})"
        fixes[i] = msgspec.structs.replace(o, guard_held=words, relocks=again is not None)
    return msgspec.structs.replace(e, fixes=fixes) if fixes != list(e.fixes) else e
