"""A closure whose written parameter types disagree with what the call passes (E0631).

`.map(|(region, total): (String, u32)| …)` over a map's `iter()` receives `(&String, &u32)`, and
the annotation is what is wrong: the closure's types are inferred from the call unless written.
Dropping the annotations (`|(region, total)|`) lets the patterns take the types the call gives;
the body may still need a `*` or a `.clone()`, which the sandbox then says. Pure.
"""

from __future__ import annotations

from engine.repair.containers import split_top
from engine.repair.template_kit import Reader, _make, _span_text
from engine.repair.types import Candidate, Edit
from toolbelt.types import Diagnostic

FAMILY = "unannotate-closure"


def _top_colon(param: str) -> int | None:
    """The `:` that starts a parameter's type, outside any brackets (a struct pattern's `x: a` is inside)."""
    depth = 0
    for i, ch in enumerate(param):
        if ch in "<([{":
            depth += 1
        elif ch in ">)]}":
            depth -= 1
        elif ch == ":" and depth == 0 and param[i : i + 2] != "::" and param[i - 1 : i + 1] != "::":
            return i
    return None


def without_annotations(params: str) -> str | None:
    """`|(a, b): (String, u32), c: &str|` -> `|(a, b), c|`; None when nothing is annotated. Pure."""
    if not (params.startswith("|") and params.endswith("|")):
        return None
    parts = split_top(params[1:-1])
    cut = [p[:i].rstrip() if (i := _top_colon(p)) is not None else p for p in parts]
    return f"|{', '.join(cut)}|" if cut != parts else None


def unannotated_closure(d: Diagnostic, read: Reader) -> list[Candidate]:
    found = next((s for s in d.spans if (s.label or "").startswith("found signature defined here")), None)
    text = _span_text(found, read) if found is not None else None
    new = without_annotations(text.strip()) if text else None
    if found is None or new is None:
        return []
    edit = Edit(file=found.file_name, start=found.byte_start, end=found.byte_end, replacement=new)
    return [
        _make(
            [edit],
            "drop the closure's parameter types: the call decides them",
            FAMILY,
            d.code_str or "E0631",
            0.85,
        )
    ]
