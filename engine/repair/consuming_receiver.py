"""E0507 moving a field out of `&self` in a method every caller is done with: `fn build(self)`.

The general mistake: a method that hands its fields on (`Request { url: self.url, .. }`) was written
with `&self`, so rustc refuses each move ("cannot move out of `self.url` which is behind a shared
reference") and suggests a `.clone()` per field. When every call of the method in the crate is on a
value the caller no longer needs (a builder chain by value, a temporary, a local's last use:
`engine.syntax.consuming`), the receiver is what is wrong: `self` by value moves the fields with no
copy, and one edit fixes every such error of the method. A method of a trait impl or a trait keeps
its signature (the trait fixes it); a method with no call in the crate is left alone (its callers
are elsewhere and unknown). The sandbox builds and tests it like any candidate, so a caller the
syntax misread fails there and the fix is not offered.
"""

from __future__ import annotations

import re

from engine.repair.template_kit import Reader, _make, _primary
from engine.repair.types import Candidate, Edit
from engine.syntax.consuming import handovers, impl_type
from engine.syntax.tree import enclosing_fn
from toolbelt.types import Diagnostic

FAMILY = "op:consume-self"
NO_COPIES = "no copies"  # the option's stated price ends with it (`engine.explain.options`)
_BEHIND = re.compile(r"cannot move out of `self\.[\w.]+` which is behind a shared reference")


def consume_receiver(d: Diagnostic, read: Reader, files: tuple[str, ...]) -> list[Candidate]:
    span = _primary(d)
    if span is None or not _BEHIND.search(d.message):
        return []
    source = read(span.file_name)
    fn = enclosing_fn(source, span.byte_start, span.byte_end) if source else None
    if (
        source is None
        or fn is None
        or fn.self_param != "&self"
        or fn.self_range is None
        or fn.in_trait
        or fn.in_impl_of is not None
    ):
        return []
    calls = [
        h
        for f in files
        if (body := read(f)) and f".{fn.name}(".encode() in body
        for h in handovers(body, fn.name)
    ]
    if not calls or not all(h.gives_up for h in calls):
        return []
    calls_said = "its one call" if len(calls) == 1 else f"each of its {len(calls)} calls"
    owner = impl_type(source, fn.range.start) or "value"
    edit = Edit(file=span.file_name, start=fn.self_range.start, end=fn.self_range.end, replacement="self")
    why = (
        f"take `self` by value in `{fn.name}`: {calls_said} in the crate is done with the `{owner}`, "
        f"so the fields move out (the `{owner}` is consumed; {NO_COPIES})"
    )
    return [_make([edit], why, FAMILY, d.code_str or "E0507", 0.9)]
