"""E0382 in a loop where a method takes `self` and returns the value (a builder's `append`): the
statement `b.method(..);` throws the result away, so the next turn has nothing. `b = b.method(..);`
keeps it (and `let mut b`); a clone would lose every call's change. Pure.

`discards_consumed_result` names that shape for the other rules: a statement whose value is the
result of a by-value method that returns something; cloning the receiver there compiles and throws
the change away (`builder.clone().header(..);` sets no header on `builder`)."""

from __future__ import annotations

import re

from engine.repair.template_kit import Reader, _make, _span_text
from engine.repair.types import Candidate, Edit
from toolbelt.types import Diagnostic


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


def discards_consumed_result(d: Diagnostic, read: Reader) -> bool:
    """rustc's move is a method call taking `self` that is a whole statement (`b.m(..);`) and the
    method returns a value: whatever the call changed lives only in the result it throws away."""
    moved = next((s for s in d.spans if s.label and "moved due to this method call" in s.label), None)
    data = read(moved.file_name) if moved else None
    if moved is None or data is None:
        return False
    line_start = data.rfind(b"\n", 0, moved.byte_start) + 1
    lead = data[line_start : moved.byte_start]
    statement = re.fullmatch(rb"\s*[A-Za-z_][\w.]*\s*\.\s*", lead) is not None
    prev = data[:line_start].rstrip()
    starts = not prev or prev[-1:] in (b";", b"{", b"}")
    after = data[moved.byte_end : moved.byte_end + 2].lstrip()
    return statement and starts and after.startswith(b";") and _returns_value(d, read)


def rebind_self_method(d: Diagnostic, read: Reader) -> list[Candidate]:
    if d.code_str != "E0382" or not any(
        "takes ownership of the receiver `self`" in c.message for c in d.children
    ):
        return []
    moved = next((s for s in d.spans if s.label and "moved due to this method call" in s.label), None)
    bound = next((s for s in d.spans if s.label and s.label.startswith("move occurs because")), None)
    data = read(moved.file_name) if moved else None
    if moved is None or bound is None or data is None or bound.file_name != moved.file_name:
        return []
    name = _span_text(bound, read) or ""
    line_start = data.rfind(b"\n", 0, moved.byte_start) + 1
    lead = data[line_start : moved.byte_start].decode("utf-8", "replace")
    m = re.fullmatch(rf"(?P<ws>\s*){re.escape(name)}\s*\.\s*", lead)
    after = data[moved.byte_end : moved.byte_end + 2].decode("utf-8", "replace")
    if not re.fullmatch(r"[a-z_]\w*", name) or m is None or not after.startswith(";"):
        return []
    edits = [
        Edit(
            file=moved.file_name,
            start=line_start + len(m.group("ws")),
            end=line_start + len(m.group("ws")),
            replacement=f"{name} = ",
        )
    ]
    before = data[max(0, bound.byte_start - 8) : bound.byte_start].decode("utf-8", "replace")
    if re.search(r"\blet\s+$", before):
        edits.insert(
            0, Edit(file=bound.file_name, start=bound.byte_start, end=bound.byte_start, replacement="mut ")
        )
    return [
        _make(edits, f"keep what the call returns: `{name} = {name}.…`", "rebind-self-method", "E0382", 0.75)
    ]
