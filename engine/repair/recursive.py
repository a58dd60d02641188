"""E0072, a type that contains itself: box each recursive field and every construction that fills it.

rustc's help boxes the field (`Box<Value>`, `Option<Box<Node>>`) and stops there, so applied alone it
trades E0072 for an E0308 at each place the field is built. The whole fix also wraps those values:
`Box::new(v)` for a `T` field; for an `Option<T>` field `Some(Box::new(v))`, `None` as it is, and
`v.map(Box::new)` for any other expression. Pure; the sandbox says whether it compiles.
"""

from __future__ import annotations

from engine.repair.template_kit import Reader, _make
from engine.repair.types import Candidate, Edit
from engine.syntax.recursive import field_slot, fills
from engine.syntax.types import Range
from toolbelt.types import Diagnostic


def _wrapped(r: Range, optional: bool, shorthand: str | None) -> str | None:
    text = r.text.strip()
    if optional:
        if text == "None":
            return None
        if text.startswith("Some(") and text.endswith(")"):
            new = f"Some(Box::new({text[5:-1]}))"
        else:
            new = f"{text}.map(Box::new)"
    else:
        new = f"Box::new({text})"
    return f"{shorthand}: {new}" if shorthand else new


def box_recursive(d: Diagnostic, read: Reader, crate_files: tuple[str, ...]) -> list[Candidate]:
    fields = [s for s in d.spans if "recursive without indirection" in (s.label or "")]
    boxes = [
        Edit(file=s.file_name, start=s.byte_start, end=s.byte_end, replacement=s.suggested_replacement)
        for c in d.children
        for s in c.spans
        if s.suggested_replacement is not None and "Box" in c.message + s.suggested_replacement
    ]
    if not fields or not boxes:
        return []
    edits = list(boxes)
    sources = {f: read(f) for f in crate_files}
    for s in fields:
        src = sources.get(s.file_name) or read(s.file_name)
        slot = field_slot(src, s.byte_start, s.byte_end) if src else None
        if slot is None:
            return []
        optional = slot.ty.replace(" ", "").startswith(("Option<", "std::option::Option<"))
        for file, data in sources.items():
            for r in fills(data, slot) if data else ():
                shorthand = slot.name if r.text == slot.name else None
                new = _wrapped(r, optional, shorthand)
                if new is not None:
                    edits.append(Edit(file=file, start=r.start, end=r.end, replacement=new))
    if len(edits) == len(boxes):
        return []  # nothing builds the field: rustc's help alone is the whole fix
    return [
        _make(edits, "box the recursive field and every value that fills it", "box-recursive", "E0072", 0.8)
    ]
