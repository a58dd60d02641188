"""A clone of a channel sender taken in a loop, with the original dropped after the loop.

The general mistake: a value that moves into a closure in a loop (E0382) is cloned per iteration,
and the value is a channel sender (`mpsc::Sender`, `SyncSender`, any `..Sender` whose liveness keeps
its receiver open) whose receiver the same function drains after the loop (`for x in rx`,
`rx.iter()`, `rx.recv()` in a loop). The clone compiles, but the original sender lives to the end
of the function, so the receiver never sees the channel close and the program hangs. Every
candidate that clones the sender (rustc's `let value = tx.clone();`, the templates' `let tx =
tx.clone();`) gets `drop(tx);` after the loop as part of the same patch, which the sandbox then
validates like any option; where the sender is still lent after the loop (`tx.send(0);`), the drop
goes after its last use. Where the drop has no place (a use inside the drain's own statement, or
edits that already touch that point), the candidate keeps its edits and says in its description
that the receiver's loop will not end while the sender lives. Pure.
"""

from __future__ import annotations

from collections.abc import Callable

import msgspec

from engine.edits import edit_id
from engine.facts.parse import facts_of
from engine.facts.types import Facts
from engine.repair.types import Candidate, Edit
from engine.syntax.channels import Drain, drained_after_loop
from toolbelt.types import Diagnostic

Reader = Callable[[str], bytes | None]


def _is_sender(type_text: str | None) -> bool:
    """`Sender<i32>`, `mpsc::SyncSender<Job>`, `UnboundedSender<T>`: the type's own name (the last
    path segment before its generic arguments) ends in `Sender`."""
    if not type_text:
        return False
    name = type_text.split("<", 1)[0].rsplit("::", 1)[-1].strip()
    return name.endswith("Sender")


def _moved_at(f: Facts, primary: int) -> int:
    """Where the sender moves into the closure: rustc's move label when the primary span is a later
    use (`tx.send(..)` after the loop), else the primary span itself."""
    return f.moved_at.start if f.moved_at is not None else primary


def _clones(c: Candidate, name: str) -> bool:
    """The candidate writes `name.clone()` (as a whole name, not `other_name.clone()`)."""
    return _writes_clone(c.edits, name)


def _writes_clone(edits: tuple[Edit, ...], name: str) -> bool:
    needle = f"{name}.clone()"
    for e in edits:
        at = e.replacement.find(needle)
        while at >= 0:
            before = e.replacement[at - 1] if at else " "
            if not (before.isalnum() or before in "_."):
                return True
            at = e.replacement.find(needle, at + 1)
    return False


def with_sender_drops(cands: list[Candidate], d: Diagnostic, read: Reader | None) -> list[Candidate]:
    """`cands`, each clone of a drained channel's sender made to drop the original after the loop."""
    f = facts_of(d)
    prim = d.primary
    if read is None or prim is None or f.binding is None or not _is_sender(f.binding_type):
        return cands
    if not any(_clones(c, f.binding) for c in cands):
        return cands
    source = read(prim.file_name)
    drain = drained_after_loop(source, f.binding, _moved_at(f, prim.byte_start)) if source else None
    if drain is None:
        return cands
    return [_with_drop(c, drain, prim.file_name) if _clones(c, f.binding) else c for c in cands]


def _with_drop(c: Candidate, drain: Drain, file: str) -> Candidate:
    tx, rx = drain.sender, drain.receiver
    if drain.loop_end is None or any(e.file == file and e.start <= drain.loop_end <= e.end for e in c.edits):
        return msgspec.structs.replace(
            c, description=f"{c.description} (the loop over `{rx}` will not end while `{tx}` lives)"
        )
    drop = Edit(
        file=file, start=drain.loop_end, end=drain.loop_end, replacement=f"\n{drain.indent}drop({tx});"
    )
    edits = (*c.edits, drop)
    # a patch whose edits are no longer rustc's suggestion's is Rusta's: crediting rustc (and its
    # MachineApplicable) for the added drop would hide that rustc's edits alone never end the loop
    rustcs = c.source == "rustc"
    return msgspec.structs.replace(
        c,
        id=edit_id(edits),
        edits=edits,
        source="template" if rustcs else c.source,
        description=f"{c.description}, and drop `{tx}` after the loop so the loop over `{rx}` ends",
    )


def sender_dropped(edits: tuple[Edit, ...], d: Diagnostic, read: Reader) -> tuple[Edit, ...]:
    """rustc's suggestion `edits` for `d` with the drop after the loop, when they clone a drained sender
    (the story's own patch, which is not a candidate)."""
    probe = Candidate(id="", edits=tuple(edits), description="", source="rustc", family="")
    return tuple(with_sender_drops([probe], d, read)[0].edits)


def keeps_receiver_open(edits: tuple[Edit, ...], d: Diagnostic, read: Reader) -> str:
    """The one line an option that clones a drained channel's sender and does not drop it must say
    (its cost): the drain after the loop waits while the original sender lives. "" otherwise."""
    f, prim = facts_of(d), d.primary
    if prim is None or f.binding is None or not _is_sender(f.binding_type):
        return ""
    if not _writes_clone(edits, f.binding) or any(
        e.replacement.strip() == f"drop({f.binding});" for e in edits
    ):
        return ""
    source = read(prim.file_name)
    drain = drained_after_loop(source, f.binding, _moved_at(f, prim.byte_start)) if source else None
    if drain is None:
        return ""
    return f"the loop over `{drain.receiver}` will not end while `{drain.sender}` lives"
