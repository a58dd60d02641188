"""Privacy: an item used outside its module (E0624) is made `pub` where rustc says it is defined. Pure."""

from __future__ import annotations

import re

from engine.repair.template_kit import Reader, _make
from engine.repair.types import Candidate, Edit
from toolbelt.types import Diagnostic

_DEFINED = re.compile(r"^private (?:method|associated function|function) defined here$")
_NAMED = re.compile(r"`([^`]+)` is private")


def make_pub(d: Diagnostic, read: Reader) -> list[Candidate]:
    """E0624: `pub ` before the definition rustc labels "private method defined here", when it is in
    the crate (a std or dependency item is not the user's to open up)."""
    span = next((s for s in d.spans if _DEFINED.match((s.label or "").strip())), None)
    if span is None or span.file_name.startswith("/"):
        return []
    data = read(span.file_name)
    if data is None or span.byte_start >= len(data):
        return []
    head = data[span.byte_start : span.byte_end].decode("utf-8", "replace")
    if head.startswith("pub") or not re.match(r"(?:(?:const|async|unsafe|extern\s+\"\w+\")\s+)*fn\b", head):
        return []
    m = _NAMED.search(d.message)
    name = f"`{m.group(1)}`" if m else "the item"
    edit = Edit(file=span.file_name, start=span.byte_start, end=span.byte_start, replacement="pub ")
    return [_make([edit], f"make {name} `pub` where it is defined", "make-pub", d.code_str or "E0624", 0.75)]
