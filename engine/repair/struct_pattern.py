"""A struct variant matched with tuple syntax (E0164: `Event::Fault(code, ok)` for `Fault { code, ok }`).

rustc's help rewrites the pattern with every field ignored (`Event::Fault { code: _, ok: _ }`),
which compiles only until the arm uses `code`, and the arm was written to use it. The user's own
sub-patterns, paired with the field names rustc lists in the order the variant declares them, give
the pattern that was meant: `Event::Fault { code, ok }` (a sub-pattern named like its field takes
the shorthand). Pure; the sandbox says whether the pairing in declaration order was the right one.
"""

from __future__ import annotations

import re

from engine.edits import suggestions
from engine.repair.containers import split_top
from engine.repair.template_kit import Reader, _make, _span_text
from engine.repair.types import Candidate, Edit
from toolbelt.types import Diagnostic

FAMILY = "struct-pattern"
_TUPLE = re.compile(r"(?P<path>[\w:]+)\s*\((?P<args>.*)\)", re.S)
_IGNORED = re.compile(r"(?:[\w:]+)?\s*\{(?P<fields>[^{}]*)\}", re.S)  # rustc replaces only the `(..)` part


def fields_named(d: Diagnostic) -> list[str]:
    """The field names of rustc's "fields are being ignored" rewrite, in its order, or []."""
    for s in suggestions(d):
        for e in s.edits:
            m = _IGNORED.fullmatch(e.replacement.strip())
            if m is not None:
                names = [f.split(":")[0].strip() for f in split_top(m["fields"]) if f.strip() != ".."]
                if names and all(re.fullmatch(r"\w+", n) for n in names):
                    return names
    return []


def named_fields_pattern(d: Diagnostic, read: Reader) -> list[Candidate]:
    prim = d.primary
    if prim is None or "found struct variant" not in d.message:
        return []
    text = _span_text(prim, read)
    m = _TUPLE.fullmatch(text.strip()) if text else None
    names = fields_named(d)
    if m is None or not names:
        return []
    parts = [p for p in split_top(m["args"]) if p]
    rest = parts and parts[-1] == ".."
    parts = parts[:-1] if rest else parts
    if len(parts) > len(names) or (len(parts) < len(names) and not rest):
        return []  # a count that differs is another mistake; rustc's own rewrite covers it
    pairs = [p if p == n else f"{n}: {p}" for n, p in zip(names, parts, strict=False)]
    if len(parts) < len(names):
        pairs.append("..")
    new = f"{m['path']} {{ {', '.join(pairs)} }}"
    edit = Edit(file=prim.file_name, start=prim.byte_start, end=prim.byte_end, replacement=new)
    return [_make([edit], f"match the fields by name: `{new}`", FAMILY, d.code_str or "E0164", 0.9)]
