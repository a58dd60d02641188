"""E0507 where a `match` on a field behind `&mut self` moves the data out of a variant (a state
machine's step): the state is taken out with `std::mem::replace` and every arm that does not set a
new state puts the old one back.

```text
match self.state {                          match std::mem::replace(&mut self.state, State::Idle) {
    State::Running(job) => {                    State::Running(job) => { ...; self.state = State::Done(job); }
        self.state = State::Done(job);  ->      other => self.state = other,
    }                                       }
    _ => {}
}
```

rustc suggests `match &self.state`, which fails as soon as an arm moves what it bound into the new
state. The placeholder is `std::mem::take` when the enum has `Default`, else a unit variant (or a
variant built from plain values), which no arm can observe: each arm either replaces it or restores
the state it took. Offered only when every arm that does not assign the place binds nothing (`_`,
a unit variant), so restoring it is `other => ...`; where the match's value is used (a tail `match`
returning `Some(job)` / `None`), the restore goes first in the arm so its value is unchanged.

Where the match's value is assigned back to the very place it moved out of (`self.state = match
self.state { Running(job) => Done(job.log), other => other }`, or `*r = match *r {..}` through a
`&mut` parameter), every arm's value is stored there anyway: only the scrutinee changes, and arms
that bind (`other => other`) need no restore. An arm that leaves the fn or loop early (`return`,
`?`, `break`) would leave the placeholder behind, so that shape is not offered. Pure; the sandbox
checks the edit (and the crate's tests catch a replace that loses state).
"""

from __future__ import annotations

import re

import tree_sitter

from engine.repair.fields import plain_value
from engine.repair.template_kit import Reader, _make
from engine.repair.types import Candidate, Edit
from engine.syntax.tree import ancestors, compact, node_at, node_text, preorder
from toolbelt.types import Diagnostic

_MOVE_OUT = re.compile(r"cannot move out of `(?P<place>[\w.]+)` as enum variant `\w+` which is behind a")
_PLACEHOLDER_NAMES = ("Idle", "Empty", "None", "Init", "Start", "Ready", "Stopped", "Done")


def _binds(pattern: tree_sitter.Node) -> bool:
    return any(
        n.type == "identifier" and n.parent is not None and n.parent.type != "scoped_identifier"
        for n in preorder(pattern)
    ) or any(n.type == "shorthand_field_identifier" for n in preorder(pattern))


def _assigns(body: tree_sitter.Node, place: str) -> bool:
    return any(
        n.type == "assignment_expression"
        and node_text(n.child_by_field_name("left")).replace(" ", "") == place
        for n in preorder(body)
    )


_EARLY_EXITS = ("return_expression", "try_expression", "break_expression", "continue_expression")


def _assigned_back(match: tree_sitter.Node, place: str) -> bool:
    """`place = match place {..}`, with no arm that leaves before the assignment stores its value."""
    stmt = match.parent
    if stmt is None or stmt.type != "assignment_expression" or stmt.child_by_field_name("right") != match:
        return False
    if compact(node_text(stmt.child_by_field_name("left"))) != compact(place):
        return False
    body = match.child_by_field_name("body")
    for n in preorder(body) if body is not None else ():
        inner = next((a for a in ancestors(n) if a.type in ("closure_expression", "function_item")), None)
        if n.type in _EARLY_EXITS and (inner is None or inner.start_byte < match.start_byte):
            return False  # an exit of the fn or loop around the match, not of a closure in an arm
    return True


def _unit_body(block: tree_sitter.Node) -> bool:
    """The block is the body of a fn that returns `()`: its tail `match` yields nothing."""
    fn = block.parent
    return fn is not None and fn.type == "function_item" and fn.child_by_field_name("return_type") is None


def _placeholder(files: list[bytes], enum: str) -> str | None:
    for data in files:
        root = node_at(data, 0, len(data))
        for n in preorder(root):
            if n.type != "enum_item" or node_text(n.child_by_field_name("name")) != enum:
                continue
            body = n.child_by_field_name("body")
            variants = [v for v in (body.named_children if body else []) if v.type == "enum_variant"]
            units = [
                node_text(v.child_by_field_name("name"))
                for v in variants
                if v.child_by_field_name("body") is None
            ]
            if units:
                return f"{enum}::{next((u for u in units if u in _PLACEHOLDER_NAMES), units[0])}"
            for v in variants:
                vb = v.child_by_field_name("body")
                if vb is not None and vb.type == "ordered_field_declaration_list":
                    types = [
                        c
                        for c in vb.named_children
                        if c.type not in ("attribute_item", "visibility_modifier")
                    ]
                    values = [plain_value(node_text(t)) for t in types]
                    if "Default::default()" not in values:
                        return f"{enum}::{node_text(v.child_by_field_name('name'))}({', '.join(values)})"
            return None
    return None


def _has_default(files: list[bytes], enum: str) -> bool:
    """The enum derives or implements `Default` in one of the crate's files (the syntax tree's
    answer, `engine.repair.take_out`): then `std::mem::take` needs no stand-in named here."""
    from engine.repair.take_out import _declares_default

    return any(_declares_default(f, enum) for f in files)


def replace_state(d: Diagnostic, read: Reader, crate_files: tuple[str, ...] = ()) -> list[Candidate]:
    prim = d.primary
    m = _MOVE_OUT.search(d.message)
    source = read(prim.file_name) if prim is not None and m is not None else None
    if prim is None or source is None or "mutable reference" not in d.message:
        return []
    scrutinee = node_at(source, prim.byte_start, prim.byte_end)
    match = scrutinee.parent
    place = node_text(scrutinee).replace(" ", "")
    deref = scrutinee.type == "unary_expression" and place.startswith("*") and place[1:].isidentifier()
    if (
        match is None
        or match.type != "match_expression"
        or not (scrutinee.type == "field_expression" or deref)
    ):
        return []
    back = _assigned_back(match, place)
    mut_ref = place[1:] if deref else f"&mut {place}"
    # the match's value is used (a tail `match` that returns): the restore goes first in the arm,
    # so the arm's value stays its last expression
    stmt = match.parent
    valued = (
        stmt is None
        or stmt.type != "expression_statement"
        or (
            not any(c.type == ";" for c in stmt.children)
            and stmt.parent is not None
            and [c for c in stmt.parent.named_children if not c.type.endswith("comment")][-1] == stmt
            and not _unit_body(stmt.parent)
        )
    )
    body = match.child_by_field_name("body")
    arms = [a for a in (body.named_children if body else []) if a.type == "match_arm"]
    paths = {
        node_text(n).rsplit("::", 1)[0]
        for a in arms
        for n in preorder(a.child_by_field_name("pattern") or a)
        if n.type == "scoped_identifier" or n.type == "scoped_type_identifier"
    }
    enum = next(iter(paths)) if len(paths) == 1 else None
    files = [data for f in (crate_files or (prim.file_name,)) if (data := read(f)) is not None]
    if enum is None or "::" in enum:
        return []
    holder = f"std::mem::take({mut_ref})" if _has_default(files, enum) else None
    unit = _placeholder(files, enum)
    if holder is None and unit is None:
        return []
    holder = holder or f"std::mem::replace({mut_ref}, {unit})"
    file = prim.file_name

    def edit(start: int, end: int, text: str) -> Edit:
        return Edit(file=file, start=start, end=end, replacement=text)

    edits = [edit(scrutinee.start_byte, scrutinee.end_byte, holder)]
    for a in [] if back else arms:
        pat, value = a.child_by_field_name("pattern"), a.child_by_field_name("value")
        if pat is None or value is None or _assigns(value, place):
            continue
        if node_text(pat) == unit:
            continue  # the placeholder is this very state
        if _binds(pat) or a.child_by_field_name("guard") is not None or "|" in node_text(pat):
            return []
        new_pat = "other" if node_text(pat) == "_" else f"other @ {node_text(pat)}"
        edits.append(edit(pat.start_byte, pat.end_byte, new_pat))
        restore = f"{place} = other;"
        kids = (
            [c for c in value.named_children if not c.type.endswith("comment")]
            if value.type == "block"
            else []
        )
        if valued:
            opening = value.children[0] if value.type == "block" and value.children else None
            if opening is not None and opening.type == "{":
                edits.append(edit(opening.end_byte, opening.end_byte, f" {restore}"))
            else:
                text = f"{{ {restore} {node_text(value)} }}"
                edits.append(edit(value.start_byte, value.end_byte, text))
            continue
        if value.type == "block" and kids:
            last = kids[-1]
            semi = "" if node_text(last).endswith(";") else ";"
            line = source.rfind(b"\n", 0, last.start_byte) + 1
            indent = re.match(rb"[ \t]*", source[line:]).group(0).decode()  # type: ignore[union-attr]
            sep = f"\n{indent}" if b"\n" in source[value.start_byte : value.end_byte] else " "
            edits.append(edit(last.end_byte, last.end_byte, f"{semi}{sep}{restore}"))
            continue
        text = f"{{ {restore} }}" if value.type == "block" else f"{{ {node_text(value)}; {restore} }}"
        edits.append(edit(value.start_byte, value.end_byte, text))
    verb = "take" if holder.startswith("std::mem::take") else "replace"
    stand = "the default" if verb == "take" else f"`{unit}`"
    desc = (
        f"take the state out with `std::mem::{verb}`, which leaves {stand} in `{place}` only until the "
        "match's result is assigned back to it"
        if back
        else f"take the state out with `std::mem::{verb}`, which leaves {stand} there until each arm "
        "stores a state back: the new one, or the old one where the arm keeps it"
    )
    return [_make(edits, desc, "mem-replace", d.code_str or "E0507", 0.8)]
