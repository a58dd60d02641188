"""E0515 where the returned value borrows a local that is a copy read out of a borrowed input
(`let best = xs[0];` with `xs: &[T]`, then `Some(&best)`): bind the local as a reference into the
input and return it, so the result borrows what the caller keeps alive.

The general mistake it answers: changing the signature to return owned data when the signature
already returns a reference into an input; the local only copies (or tries to move) a place out of
that input. The syntax layer says the local is such a copy (engine/syntax/copied_locals.py); the
sandbox, with rustc's follow-up suggestions as later steps (an assignment `best = *x` becomes
`best = x`), says whether the borrow fits. Pure: a Diagnostic and a reader in, Candidates out.
"""

from __future__ import annotations

import re

from engine.repair.template_kit import Reader, _make, primary_source
from engine.repair.types import Candidate, Edit
from toolbelt.types import Diagnostic

_LOCAL = re.compile(r"(?:referencing|reference to) local (?:variable|data) `(\w+)`")


def borrow_copied_input(d: Diagnostic, read: Reader) -> list[Candidate]:
    m = _LOCAL.search(d.message)
    opened = primary_source(d, read)
    if m is None or opened is None:
        return []
    span, data = opened
    from engine.syntax.copied_locals import borrows_of, copied_from_input

    name = m.group(1)
    copied = copied_from_input(data, name, span.byte_start)
    returned = borrows_of(data, name, span.byte_start, span.byte_end)
    if copied is None or not returned:
        return []
    file = span.file_name
    edits = [Edit(file=file, start=copied.place_start, end=copied.place_start, replacement="&")]
    edits += [Edit(file=file, start=a, end=b, replacement=name) for a, b in returned]
    desc = (
        f"bind `{name}` as a reference into `{copied.input}` where it is made and return it: "
        f"the result borrows `{copied.input}`, which outlives the call, and the signature stays"
    )
    return [_make(sorted(edits, key=lambda e: e.start), desc, "borrow-input", "E0515", 0.88)]
