"""The op log, in the spirit of Jujutsu's: every finished apply/undo/redo, read back from the DevLog.

The DevLog is the only source of truth; this module derives from it the list of operations and
the two stacks that `undo` and `redo` work on:

- apply X: X goes on the undo stack; the redo stack is cleared (a new change forks history).
- undo of X: X moves from the undo stack to the redo stack.
- redo of X: X leaves the redo stack; the redo op R goes on the undo stack (undoing R undoes X again).
- undo of an undo U (`rusta undo --op U`): re-applies what U removed, so it is logged as a redo
  (as `diary.replay` expects: a redo moves the patch back to the applied stack).
"""

from __future__ import annotations

from pathlib import Path

import msgspec

from diary.devlog import DevLog
from engine.patching.transaction import OPS, is_patch_intent, op_record
from engine.patching.types import OpRecord


class Stacks(msgspec.Struct, frozen=True, kw_only=True):
    ops: tuple[OpRecord, ...]
    undo: tuple[OpRecord, ...]  # top is last
    redo: tuple[OpRecord, ...]  # top is last


def history(root: Path) -> list[OpRecord]:
    """Finished and rolled-back operations, oldest first."""
    if not (root / ".rusta" / "devlog").is_dir():
        return []
    log = DevLog.open(root, readonly=True)
    try:
        out = []
        intents: dict[str, float] = {}
        for e in log.entries():
            p = e.payload
            if p.get("op") not in OPS:
                continue
            if is_patch_intent(e):
                intents[e.id] = e.ts
            elif e.kind == "action" and e.settles in intents:
                if p.get("status") == "done":
                    out.append(op_record(e.settles, p, intents[e.settles]))
                elif p.get("step") == "rolled_back":
                    out.append(op_record(e.settles, p, intents[e.settles], "rolled_back"))
        return out
    finally:
        log.close()


def stacks(root: Path) -> Stacks:
    ops = [o for o in history(root) if o.state == "done"]
    by_id = {o.op_id: o for o in ops}
    undo: list[OpRecord] = []
    redo: list[OpRecord] = []
    for o in ops:
        if o.op == "apply":
            undo.append(o)
            redo.clear()
            continue
        target = by_id.get(o.reverts or "")
        if o.op == "undo":
            if target is not None and target in undo:
                undo.remove(target)
            if target is not None:
                redo.append(target)
            continue
        if target is not None and target.op == "undo":  # an undo of an undo: re-applies what it removed
            target = by_id.get(target.reverts or "")
        if target is not None and target in redo:
            redo.remove(target)
        undo.append(o)
    return Stacks(ops=tuple(ops), undo=tuple(undo), redo=tuple(redo))
