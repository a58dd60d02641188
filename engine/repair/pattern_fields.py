"""E0023: a tuple-variant (or tuple-struct) pattern with the wrong number of fields.

```text
Shape::Rect(w, h) => ...     // Rect has 3 fields: `Shape::Rect(w, h, _)`, or `Shape::Rect(w, h, ..)`
Shape::Dot(x, y) => ...      // Dot has 1 field, `y` is not used: `Shape::Dot(x)`
```

Too few: one `_` per missing field (rustc suggests the same; written here when it does not), and,
when two or more are missing, `..` for the rest. Too many: the trailing sub-patterns go, only when
each is `_` or a plain binding that the match arm does not use. Pure; the sandbox judges.
"""

from __future__ import annotations

import re

import tree_sitter

from engine.repair.template_kit import Reader, _make, _primary
from engine.repair.types import Candidate, Edit
from engine.syntax.tree import ancestors, node_at, preorder
from toolbelt.types import Diagnostic

_COUNTS = re.compile(
    r"this pattern has (?P<found>\d+) fields?, but the corresponding tuple (?:variant|struct) has (?P<want>\d+) fields?"
)


def _pattern_at(source: bytes, at: int) -> tree_sitter.Node | None:
    node = node_at(source, at, at + 1)
    return next((a for a in (node, *ancestors(node)) if a.type == "tuple_struct_pattern"), None)


def _subpatterns(pattern: tree_sitter.Node) -> list[tree_sitter.Node]:
    head = pattern.child_by_field_name("type")
    return [c for c in pattern.named_children if head is None or c.id != head.id]


def _used_in_arm(pattern: tree_sitter.Node, name: str) -> bool:
    arm = next((a for a in ancestors(pattern) if a.type == "match_arm"), None)
    value = arm.child_by_field_name("value") if arm is not None else None
    if value is None:  # `if let` / `let`: where the binding is used is not looked for here
        return True
    return any(c.type == "identifier" and (c.text or b"").decode() == name for c in preorder(value))


def pattern_field_count(d: Diagnostic, read: Reader) -> list[Candidate]:
    m = _COUNTS.search(d.message)
    span = _primary(d)
    source = read(span.file_name) if span is not None else None
    if m is None or span is None or source is None:
        return []
    found, want = int(m.group("found")), int(m.group("want"))
    pattern = _pattern_at(source, span.byte_start)
    if pattern is None:
        return []
    subs = _subpatterns(pattern)
    if not subs or len(subs) != found or any(s.type == "remaining_field_pattern" for s in subs):
        return []
    code, f = d.code_str or "E0023", span.file_name
    end = subs[-1].end_byte
    if found < want:
        k = want - found

        def insert(text: str, why: str, family: str, score: float) -> Candidate:
            return _make([Edit(file=f, start=end, end=end, replacement=text)], why, family, code, score)

        rustc_has_it = any(s.suggested_replacement is not None for c in d.children for s in c.spans)
        out = (
            []
            if rustc_has_it
            else [
                insert(
                    ", _" * k,
                    f"ignore the {k} missing field{'s' if k > 1 else ''} with `_`",
                    "pattern-underscore",
                    0.7,
                )
            ]
        )
        if k >= 2:
            out.append(insert(", ..", f"ignore the {k} remaining fields with `..`", "pattern-rest", 0.66))
        return out
    extra = subs[want:]
    names = [(s.text or b"").decode() for s in extra]
    if any(s.type not in ("identifier", "_") and (s.text or b"") != b"_" for s in extra):
        return []
    if any(n != "_" and _used_in_arm(pattern, n) for n in names):
        return []
    start = subs[want - 1].end_byte if want > 0 else subs[0].start_byte
    listed = ", ".join(f"`{n}`" for n in names)
    why = f"drop {listed}: the variant has {want} field{'s' if want != 1 else ''} and the arm does not use it"
    return [_make([Edit(file=f, start=start, end=end, replacement="")], why, "pattern-drop-extra", code, 0.7)]
