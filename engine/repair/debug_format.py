"""E0277 "`T` doesn't implement `Display`" in a format string: print the value with `{:?}` (Debug).

The general mistake: `{}` asks for `Display`, which std gives only to types with one obvious text
form (numbers, strings); a collection (`Vec<&str>`), an `Option`, or a type of the crate that only
derives `Debug` has none. rustc says so and hints `{:?}` in a note, but gives no edit. The edit is
the placeholder rustc labels "required by this formatting parameter" (or, for an inline argument,
its primary span): `{}` becomes `{:?}`, `{keys}`
becomes `{keys:?}`, `{:>8}` becomes `{:>8?}`. Whether the type implements `Debug` (a derive, or
std's impl) is for the sandbox to say: the fix is shown only once it compiles (for a crate type
without `Debug`, with the `derive(Debug)` rustc then asks for). The printed text
changes with it, from a Display form to Debug's (`["a", "b"]`, `Some(3)`, `Point { x: 1 }`), so the
fix says so. Pure.
"""

from __future__ import annotations

import re

from engine.repair.template_kit import Reader, _make, primary_source
from engine.repair.types import Candidate, Edit
from toolbelt.types import Diagnostic

_PLACEHOLDER = re.compile(rb"\{([A-Za-z_]\w*|\d+)?(?::([^{}?]*))?\}")


def debug_format(d: Diagnostic, read: Reader) -> list[Candidate]:
    opened = primary_source(d, read)
    if d.code_str != "E0277" or opened is None or "Display" not in d.message:
        return []
    if not any("{:?}" in c.message for c in d.children):
        return []  # rustc's hint marks a format string's argument; anything else is another shape
    span, source = opened
    param = next(
        (
            s
            for s in d.spans
            if s.label and "formatting parameter" in s.label and s.file_name == span.file_name
        ),
        None,
    )
    param = param or span  # an inline argument (`{p}`): rustc's primary span is the placeholder
    if param.byte_end > len(source):
        return []
    m = _PLACEHOLDER.fullmatch(source[param.byte_start : param.byte_end])
    if m is None:
        return []
    name = (m.group(1) or b"").decode()
    spec = m.group(2).decode() if m.group(2) is not None else None
    new = f"{{{name}:{spec or ''}?}}"
    edits = [Edit(file=span.file_name, start=param.byte_start, end=param.byte_end, replacement=new)]
    why = (  # the closing parenthesis is the fix's cost (`explain.options.behaviour`)
        f"print the value with Debug, `{new}` (the printed text changes from a Display form to Debug's,"
        " as Rust writes the value: quotes, brackets, field names)"
    )
    return [_make(edits, why, "op:debug-format", "E0277", 0.7)]
