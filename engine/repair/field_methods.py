"""E0616: a private field reached through the `pub` method its type already has for it.

The general mistake this answers: answering `to.balance += amount` on a private field with "make the
field `pub`" or "add a method", when the type already offers `pub fn deposit(&mut self, amount)`
whose body does `self.balance += amount`: the field's module keeps its invariant only if callers go
through it. The writers and readers are read from the syntax tree (`engine.syntax.field_methods`);
a write becomes the call when the method assigns the field with the same operator from its one
parameter (the caller's right side is then the argument), a read becomes the call of a getter that
returns the field. Validated with cargo like any candidate.
"""

from __future__ import annotations

import re

from engine.repair.template_kit import Reader, _make, primary_source
from engine.repair.types import Candidate, Edit
from toolbelt.types import Diagnostic

_METHOD = re.compile(r"method `(\w+)` is private")
_FIELD = re.compile(r"field `(\w+)` of (?:struct|union) `(?:[\w:]+::)?(\w+)(?:<[^`]*)?` is private")


def existing_accessors(d: Diagnostic, read: Reader, crate_files: tuple[str, ...]) -> list[Candidate]:
    from engine.syntax.field_methods import readers, writers
    from engine.syntax.tree import node_at, node_text

    m, opened = _FIELD.search(d.message), primary_source(d, read)
    if m is None or opened is None:
        return []
    span, here = opened
    field, type_name = m.group(1), m.group(2)
    node = node_at(here, span.byte_start, span.byte_end)
    place = next((a for a in (node, node.parent) if a is not None and a.type == "field_expression"), None)
    if place is None or place.child_by_field_name("value") is None:
        return []
    recv = node_text(place.child_by_field_name("value"))
    parent = place.parent
    assign = (
        parent
        if parent is not None
        and parent.type in ("assignment_expression", "compound_assignment_expr")
        and parent.child_by_field_name("left") == place
        else None
    )
    out: list[Candidate] = []
    for rel in crate_files:
        data = read(rel)
        if data is None or f"struct {type_name}".encode() not in data:
            continue
        if assign is not None:
            op = (
                "="
                if assign.type == "assignment_expression"
                else node_text(assign.child_by_field_name("operator"))
            )
            value = node_text(assign.child_by_field_name("right"))
            for w in writers(data, type_name, field):
                if w.op == op and len(w.params) == 1 and w.from_param:
                    call = f"{recv}.{w.name}({value})"
                    edit = Edit(
                        file=span.file_name, start=assign.start_byte, end=assign.end_byte, replacement=call
                    )
                    desc = (
                        f"call the existing `pub fn {w.name}`, which does `self.{field} {op} {w.from_param}`"
                    )
                    out.append(_make([edit], desc, "existing-method", "E0616", 0.85))
        else:
            for r in readers(data, type_name, field):
                if r.name == field:
                    continue  # a getter of the field's own name: `engine.repair.privacy.add_getter` calls it
                edit = Edit(
                    file=span.file_name, start=span.byte_start, end=span.byte_end, replacement=f"{r.name}()"
                )
                desc = f"call the existing `pub fn {r.name}()`, which returns `{field}`"
                out.append(_make([edit], desc, "existing-method", "E0616", 0.8))
    return out


def existing_wrappers(d: Diagnostic, read: Reader, crate_files: tuple[str, ...]) -> list[Candidate]:
    """E0624: a call of a private method becomes a call of the type's `pub` method that calls it,
    when that one takes as many arguments: the type's public way to the same work (validated; its
    description names both, since the wrapper may do more than the private method)."""
    from engine.syntax.field_methods import wrappers
    from engine.syntax.tree import node_at, node_text

    m, opened = _METHOD.search(d.message), primary_source(d, read)
    defined = next((s for s in d.spans if "defined here" in (s.label or "")), None)
    if m is None or opened is None or defined is None:
        return []
    span, here = opened
    where = read(defined.file_name)
    owner = None
    if where is not None and defined.byte_start < len(where):
        from engine.syntax.tree import ancestors

        impl = next(
            (
                a
                for a in ancestors(node_at(where, defined.byte_start, defined.byte_start + 1))
                if a.type == "impl_item"
            ),
            None,
        )
        t = (
            impl.child_by_field_name("type")
            if impl is not None and impl.child_by_field_name("trait") is None
            else None
        )
        owner = node_text(t).split("<")[0].split("::")[-1] if t is not None else None
    node = node_at(here, span.byte_start, span.byte_end)
    call = next(
        (
            a
            for a in (node, node.parent, node.parent.parent if node.parent else None)
            if a is not None and a.type == "call_expression"
        ),
        None,
    )
    args = call.child_by_field_name("arguments") if call is not None else None
    if owner is None or where is None or args is None or node_text(node) != m.group(1):
        return []
    out: list[Candidate] = []
    for w in wrappers(where, owner, m.group(1)):
        if len(w.params) == len(args.named_children):
            edit = Edit(file=span.file_name, start=span.byte_start, end=span.byte_end, replacement=w.name)
            desc = f"call the existing `pub fn {w.name}`, which calls `{m.group(1)}`"
            out.append(_make([edit], desc, "existing-method", "E0624", 0.7))
    return out
