"""Operators placed where a local is bound, not where rustc reports its use. Pure.

rustc reports the use that breaks; the mistake is often at the binding (`let v = x;` for
`let v = *x;`, `let view = &counts;` for `&mut counts`, a missing `mut`), and one edit there fixes
every use. The edit grammar (`engine.repair.grammar`) adds these to the operators at the use.
"""

from __future__ import annotations

import re

from engine.edits import Edit
from engine.facts.types import Facts, Place
from engine.repair.sites import Op, Site
from engine.repair.template_kit import Reader
from engine.syntax.tree import binding_of, let_initializer


def make_mut(f: Facts, read: Reader) -> list[Op]:
    if f.binding is None or f.primary is None:
        return []
    source = read(f.primary.file)
    if source is None:
        return []
    name = f.binding.split(".")[0].lstrip("*")
    b = binding_of(source, name, f.primary.start)
    if b is None:
        return []
    ops: list[Op] = []
    if not b.mutable and not f.behind_reference:
        edit = Edit(file=f.primary.file, start=b.range.start, end=b.range.start, replacement="mut ")
        ops.append(([edit], f"declare `{name}` as `mut` (line {b.range.line})", "op:mut", 0.74))
    if b.type_text and b.type_text.startswith("&") and not b.type_text.startswith("&mut"):
        at = source.find(b.type_text.encode(), b.range.end)
        if at >= 0:
            edit = Edit(file=f.primary.file, start=at, end=at + 1, replacement="&mut ")
            ops.append(([edit], f"take `{name}` as `&mut`", "op:param-mut", 0.72))
    return ops


def mut_at_binding(site: Site, source: bytes) -> list[Op]:
    """A local that holds `&x` used where `&mut` is wanted: `let view = &counts;` then `bump(view)`.
    rustc reports the use; the borrow is made where the local is bound, so it becomes `&mut` there
    (and a written `&T` annotation with it)."""
    name = site.text
    if not re.fullmatch(r"[A-Za-z_]\w*", name):
        return []
    b = binding_of(source, name, site.place.start)
    value = let_initializer(source, name, site.place.start)
    if b is None or value is None or not value.text.startswith("&") or value.text.startswith("&mut"):
        return []
    file = site.place.file
    edits = [Edit(file=file, start=value.start, end=value.start + 1, replacement="&mut ")]
    if b.type_text is not None:
        at = source.find(b.type_text.encode(), b.range.end, value.start)
        if not b.type_text.startswith("&") or b.type_text.startswith("&mut") or at < 0:
            return []
        edits.insert(0, Edit(file=file, start=at, end=at + 1, replacement="&mut "))
    desc = f"borrow mutably where `{name}` is bound (line {value.line})"
    return [(edits, desc, "op:borrow-mut", 0.72)]


# Conversions that change what the binding holds, so moving them to its value fixes every use.
# Not `.clone()` (a clone at the binding still moves at the use) nor views like `.as_str()` (a
# borrow of a temporary would not outlive the `let`).
_POSTFIX = re.compile(r"^(\?|\.unwrap\(\)|\.to_string\(\)|\.to_owned\(\)|\.to_path_buf\(\)|\.to_vec\(\))$")


def hoisted(f: Facts, read: Reader, own: list[Op]) -> list[Op]:
    """A postfix conversion (or a `*`) at a use of a `let` binding, moved to the binding's value.

    rustc suggests `buf?.is_empty()` at the use it reports; when the value is used again, every other
    use breaks the same way, and the fix a developer writes is `let buf = reader.fill_buf()?;`. So
    each postfix (rustc's or the grammar's) on a plain local also goes where the local is bound; so
    does a `*` (`let v = *x;`, not `*v` at each use of `let v = x;`).
    """
    postfixes = [
        (e, s.message) for s in f.suggestions if len(s.edits) == 1 for e in s.edits if e.start == e.end
    ]
    postfixes += [
        (e, desc) for edits, desc, _, _ in own if len(edits) == 1 for e in edits if e.start == e.end
    ]
    out: list[Op] = []
    seen: set[tuple[str, int, str]] = set()
    for e, desc in postfixes:
        source = read(e.file)
        if source is None or e.start > len(source):
            continue
        if e.replacement == "*":  # a dereference of the local, where a value is wanted
            m = re.match(rb"([A-Za-z_]\w*)(?![\w.(\[:!])", source[e.start : e.start + 64])
        elif _POSTFIX.match(e.replacement):
            m = re.search(rb"([A-Za-z_]\w*)$", source[max(0, e.start - 64) : e.start])
        else:
            continue
        if m is None:
            continue
        name = m.group(1).decode()
        value = let_initializer(source, name, e.start)
        if value is None or value.end > e.start or (e.file, value.end, e.replacement) in seen:
            continue
        seen.add((e.file, value.end, e.replacement))
        what = desc.rstrip(".").split(",")[0]
        if e.replacement == "*":
            site = Site(
                Place(file=e.file, start=value.start, end=value.end, line=value.line, column=1), source
            )
            if not site.expression or value.text.startswith("&"):  # `*&x` undoes the borrow, fixes nothing
                continue
            edits = site.prefix("*")
        else:
            edits = [Edit(file=e.file, start=value.end, end=value.end, replacement=e.replacement)]
        out.append((edits, f"{what}, where `{name}` is bound (line {value.line})", "op:at-binding", 0.66))
    return out
