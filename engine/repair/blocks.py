"""A block that ends in a statement where a value was wanted: the stray `;` is the mistake. Pure.

rustc suggests "remove this semicolon" for a function's tail, but not for a closure's body
(E0271 "expected `{closure}` to return `bool`, but it returns `()`" on `s.find(|c| { c == 'k'; })`)
nor for every block; the span it labels "expected `T`, found `()`" ends with that `;`, or is a
block whose last statement does.
"""

from __future__ import annotations

import re

from engine.repair.template_kit import Reader, _make, _span_text
from engine.repair.types import Candidate, Edit
from toolbelt.types import Diagnostic

_UNIT_FOUND = re.compile(r"expected `(?P<exp>.+?)`, found `\(\)`")


def _stray_semicolon(text: str) -> int | None:
    """Char offset of the `;` that turned the value of `text` into `()`, if it ends with one."""
    body = text.rstrip()
    if body.endswith("}"):
        body = body[:-1].rstrip()
    if body.endswith(";") and not body.endswith(";;"):
        return len(body) - 1
    return None


def tail_semicolon(d: Diagnostic, read: Reader) -> list[Candidate]:
    out: list[Candidate] = []
    for s in d.spans:
        m = _UNIT_FOUND.search(s.label or "")
        if not m or m.group("exp") == "()":
            continue
        text = _span_text(s, read) or ""
        at = _stray_semicolon(text)
        if at is None:
            continue
        pos = s.byte_start + len(text[:at].encode())
        edit = Edit(file=s.file_name, start=pos, end=pos + 1, replacement="")
        out.append(
            _make(
                [edit],
                f"drop the `;` so the block returns its value (`{m.group('exp')}`)",
                "remove-semicolon",
                d.code_str or "E0308",
                0.7,
            )
        )
    return out
