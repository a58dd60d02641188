"""`x == None` where the `Option`'s type has no `PartialEq` (E0369): test the variant, not the value.

rustc suggests deriving `PartialEq` on the type inside the `Option`, which makes this one comparison
compile and adds a trait the type may not want. `x.is_none()` (`x.is_some()` for `!=`) asks what the
comparison meant and needs no trait. Pure; the sandbox says whether it compiles.
"""

from __future__ import annotations

import re

from engine.repair.template_kit import Reader, _make
from engine.repair.types import Candidate, Edit
from engine.syntax.origins import compared_with_none
from toolbelt.types import Diagnostic

_SIMPLE = re.compile(r"[\w.]+(?:\([^()]*\))?|&?[\w.]+")


def none_comparison(d: Diagnostic, read: Reader) -> list[Candidate]:
    prim = d.primary
    if prim is None or not re.search(r"binary operation `(==|!=)`", d.message):
        return []
    source = read(prim.file_name)
    found = compared_with_none(source, prim.byte_start) if source else None
    if found is None:
        return []
    whole, other, op = found
    text = other.text.strip()
    recv = text if _SIMPLE.fullmatch(text) else f"({text})"
    method = "is_none" if op == "==" else "is_some"
    edit = Edit(file=prim.file_name, start=whole.start, end=whole.end, replacement=f"{recv}.{method}()")
    return [
        _make([edit], f"test the variant with `.{method}()`", "option-variant", d.code_str or "E0369", 0.95)
    ]
