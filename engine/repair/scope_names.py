"""E0425 on a value when a binding in scope at the use is spelled almost the same (`mesage` where the
match arm binds `msg`): rename the use to that binding.

rustc's own similar-name help misses a binding two or three letters away; the file-wide typo
template (`engine.repair.names`) looks at every word of the file but not at what is in scope. The
syntax layer answers which bindings are visible at the use (`engine.syntax.option_shapes.
similar_binding`). Pure; the sandbox says whether the renamed use type-checks.
"""

from __future__ import annotations

import re

from engine.repair.template_kit import Reader, _make, _span_text, primary_source
from engine.repair.types import Candidate, Edit
from toolbelt.diagnostics import in_user_crate
from toolbelt.types import Diagnostic

_UNRESOLVED_VALUE = re.compile(r"^cannot find value `(\w+)` in this scope")


def binding_in_scope(d: Diagnostic, read: Reader) -> list[Candidate]:
    prim = d.primary
    if prim is None or not in_user_crate(prim.file_name) or (opened := primary_source(d, read)) is None:
        return []
    prim, data = opened
    from engine.syntax.option_shapes import similar_binding

    m = _UNRESOLVED_VALUE.match(d.message)
    if m is None or _span_text(prim, read) != m.group(1):
        return []
    similar = similar_binding(data, m.group(1), prim.byte_start)
    if similar is None:
        return []
    edit = Edit(file=prim.file_name, start=prim.byte_start, end=prim.byte_end, replacement=similar)
    return [_make([edit], f"use `{similar}`, bound in scope here", "typo-in-scope", "E0425", 0.7)]
