"""E0382 where the move is a by-value method whose result the statement throws away: `b.m(..);`.

The general mistake: a consuming method (a builder's `header`, a `with_*` setter, any `fn m(self,
..) -> Self`) returns the updated value, and the caller wrote the call as if it changed `b` in place.
The change lives only in the result the statement drops, and `b` is moved, so the next use of `b`
(the next turn of a loop, or the code after an `if`) is E0382. `b = b.m(..);` keeps it (and `let mut
b`); a clone would compile and lose every call's change. Pure.

The facts: rustc's move place and the moved binding and its type (engine.facts), the statement kind
and the method's signature from the syntax tree (engine.syntax.discarded_results). rustc's note
"`T::m` takes ownership of the receiver `self`" is used when it is there, but it is not needed: rustc
leaves it out when an argument borrows a temporary (`b.header("k", &format!(..))`).

`discards_consumed_result` names that shape for the other rules: cloning the receiver there compiles
and throws the change away (`builder.clone().header(..);` sets no header on `builder`)."""

from __future__ import annotations

import re

from engine.facts.parse import facts_of
from engine.repair.template_kit import Reader, _make, _span_text
from engine.repair.types import Candidate, Edit
from engine.syntax.discarded_results import DiscardedCall, discarded_call, self_return
from toolbelt.types import Diagnostic


def _consumer_note(d: Diagnostic) -> bool:
    return any("takes ownership of the receiver `self`" in c.message for c in d.children)


def _returns_value(d: Diagnostic, read: Reader) -> bool:
    """The by-value method's signature (rustc's note points at its `self`) returns something; a
    signature Rusta cannot read counts as returning something (no fact that the result is `()`)."""
    for child in d.children:
        if "takes ownership of the receiver `self`" not in child.message:
            continue
        for s in child.spans:
            data = read(s.file_name)
            if data is None:
                continue
            close = data.find(b")", s.byte_end)
            brace = data.find(b"{", s.byte_end)
            semi = data.find(b";", s.byte_end)
            if close < 0 or brace < 0 or (0 <= semi < brace):
                continue
            head = data[close : brace + 1]
            return b"->" in head and not re.search(rb"->\s*\(\s*\)", head)
    return True


def _span_files(d: Diagnostic) -> list[str]:
    """The files rustc's spans name (the move's first): where the method's impl is looked for."""
    files: list[str] = []
    for s in (*d.spans, *(s for c in d.children for s in c.spans)):
        if s.file_name not in files:
            files.append(s.file_name)
    return files


def discarded_self_call(d: Diagnostic, read: Reader, *, signed: bool = False) -> DiscardedCall | None:
    """rustc's move of the binding is `b.m(..);`, a whole statement, and `m` takes `self` by value
    and returns the receiver's type (the crate's own signature), or rustc's note says it takes `self`
    and its signature returns something. None otherwise: the result is used, so the move is real.
    `signed`: only the first, a signature read that returns the receiver's type, which is what a
    sentence saying so needs (a std method's result may be another type: `unwrap_or`)."""
    if d.code_str != "E0382":
        return None
    f = facts_of(d)
    moved, name = f.moved_at, f.binding
    data = read(moved.file) if moved is not None else None
    if moved is None or data is None or not name:
        return None
    call = discarded_call(data, moved.start, moved.end)
    if call is None or call.receiver != name:
        return None
    sources = [b for b in (read(p) for p in _span_files(d)) if b is not None]
    sig = self_return(sources, f.binding_type, call.method) if f.binding_type else None
    if sig is not None:
        return call if sig.by_value and sig.returns_receiver_type else None
    return call if not signed and _consumer_note(d) and _returns_value(d, read) else None


def discards_consumed_result(d: Diagnostic, read: Reader) -> bool:
    """The move is a by-value method call whose result the statement drops (see the module)."""
    return discarded_self_call(d, read) is not None


def rebind_self_method(d: Diagnostic, read: Reader) -> list[Candidate]:
    call = discarded_self_call(d, read)
    f = facts_of(d)
    bound = next((s for s in d.spans if s.label and s.label.startswith("move occurs because")), None)
    if call is None or f.moved_at is None or bound is None or bound.file_name != f.moved_at.file:
        return []
    name = call.receiver
    if (_span_text(bound, read) or "") != name:
        return []
    at = call.statement.start
    edits = [Edit(file=f.moved_at.file, start=at, end=at, replacement=f"{name} = ")]
    data = read(bound.file_name) or b""
    before = data[max(0, bound.byte_start - 8) : bound.byte_start].decode("utf-8", "replace")
    if re.search(r"\blet\s+$", before):
        edits.insert(
            0, Edit(file=bound.file_name, start=bound.byte_start, end=bound.byte_start, replacement="mut ")
        )
    return [
        _make(edits, f"keep what the call returns: `{name} = {name}.…`", "rebind-self-method", "E0382", 0.75)
    ]
