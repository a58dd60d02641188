"""A closure that must be `Fn` (or `FnMut`) but moves a captured value out (E0525). Pure.

rustc labels the use that makes it `FnOnce`: "closure is `FnOnce` because it moves the variable
`banner` out of its environment". Called again, the closure would have nothing left to move, so the
use borrows the captured value (`&banner`) or moves a clone of it (`banner.clone()`), leaving the
captured one in place; the sandbox says which the body accepts (a borrow where the value is only
read, a clone where an owned value is needed).
"""

from __future__ import annotations

import re

from engine.repair.template_kit import Reader, _insert, _make, _span_text
from engine.repair.types import Candidate
from toolbelt.types import Diagnostic

_MOVES = re.compile(
    r"closure is `FnOnce` because it moves the variable `(?P<name>\w+)` out of its environment"
)


def keep_captured(d: Diagnostic, read: Reader) -> list[Candidate]:
    code = d.code_str or "E0525"
    out: list[Candidate] = []
    for s in d.spans:
        m = _MOVES.search(s.label or "")
        if m is None or _span_text(s, read) != m["name"]:
            continue
        name = m["name"]
        out.append(
            _make(
                [_insert(s, False, "&")],
                f"borrow `{name}` inside the closure: `&{name}`",
                "borrow",
                code,
                0.75,
            )
        )
        out.append(
            _make(
                [_insert(s, True, ".clone()")],
                f"move a clone of `{name}` out, keep the captured one",
                "clone",
                code,
                0.6,
            )
        )
    return out
