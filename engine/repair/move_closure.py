"""A closure that may outlive the function borrows a local (E0373, `thread::spawn(|| ..)`).

The way out is `move`: the closure owns what it captures. rustc suggests it, but its suggestion
does not say that `move` fails where a captured value that is not `Copy` is still used after the
closure, later in the function or in the loop's next iteration. Two candidates, for the sandbox to
judge: plain `move` (the same edit as rustc's, so one candidate when rustc gave it), and, when the
syntax shows a captured binding used after the closure, a clone of it taken just before the closure,
which the closure then moves (`let data = data.clone();`). A binding the syntax shows to be `Copy`
(a primitive or reference annotation, a number literal, a range loop's variable) is not cloned. Pure.
"""

from __future__ import annotations

from engine.repair.template_kit import Reader, _make
from engine.repair.types import Candidate, Edit
from engine.syntax.captures import closure_at, reused_captures
from engine.syntax.tree import ancestors
from toolbelt.types import Diagnostic

FAMILY = "move-closure"


def move_closure(d: Diagnostic, read: Reader) -> list[Candidate]:
    prim = d.primary
    source = read(prim.file_name) if prim is not None else None
    found = closure_at(source, prim.byte_start, prim.byte_end) if prim and source else None
    if prim is None or source is None or found is None:
        return []
    closure, fn = found
    if (closure.text or b"").startswith(b"move"):
        return []
    f, code, at = prim.file_name, d.code_str or "E0373", closure.start_byte
    out = [
        _make(
            [Edit(file=f, start=at, end=at, replacement="move ")],
            "write `move` on the closure",
            FAMILY,
            code,
            0.7,
        )
    ]
    used, later_in_block = reused_captures(source, closure, fn)
    if not used:
        return out
    names = ", ".join(f"`{b.name}`" for b in used)
    clones = " ".join(f"let {b.name} = {b.name}.clone();" for b in used)
    stmt = next((a for a in ancestors(closure) if a.parent is not None and a.parent.type == "block"), None)
    if later_in_block or stmt is None:  # the clone lives in a block of its own around the closure
        edits = [
            Edit(file=f, start=at, end=at, replacement="{ " + clones + " move "),
            Edit(file=f, start=closure.end_byte, end=closure.end_byte, replacement=" }"),
        ]
    else:  # used again only in the next iteration: the clone is the iteration's own binding
        line = source.rfind(b"\n", 0, stmt.start_byte) + 1
        indent = source[line : stmt.start_byte].decode("utf-8", "replace")
        edits = [
            Edit(
                file=f,
                start=stmt.start_byte,
                end=stmt.start_byte,
                replacement=clones.replace("; ", ";\n" + indent) + "\n" + indent,
            ),
            Edit(file=f, start=at, end=at, replacement="move "),
        ]
    where = "later in the function" if later_in_block else "in the loop's next iteration"
    what = (
        f"{names} {'is' if len(used) == 1 else 'are'} used again {where}, so plain `move` would take "
        f"{'it' if len(used) == 1 else 'them'} away: clone just before the closure and let the closure move the clone"
    )
    out.append(_make(edits, what, FAMILY, code, 0.72))
    return out
