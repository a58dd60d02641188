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


_FIELD = re.compile(r"field `(\w+)` of (?:struct|union) `((?:[\w:]+::)?(\w+))(?:<[^`]*)?` is private")
_COPY_TYPES = re.compile(r"(?:[iu](?:8|16|32|64|128|size)|f32|f64|bool|char)")


def _getter_type(field_type: str) -> tuple[str, str]:
    """The getter's return type and body for a field of this type: a copy of a number, a borrow of
    what the field owns (`&str` for a `String`, a slice for a `Vec`), a reference otherwise."""
    t = field_type.strip()
    if _COPY_TYPES.fullmatch(t):
        return t, "self.{f}"
    if t == "String":
        return "&str", "&self.{f}"
    m = re.fullmatch(r"Vec<(.+)>", t)
    if m:
        return f"&[{m.group(1)}]", "&self.{f}"
    return f"&{t}", "&self.{f}"


def add_getter(d: Diagnostic, read: Reader, crate_files: tuple[str, ...]) -> list[Candidate]:
    """E0616: a read of a private field becomes a call of a getter the type adds in its own `impl`
    (one edit set: the method and the call), so the type keeps control of the field; when the type
    already has a method of that name, the call alone. A write to the field (the left side of `=` or
    `op=`, from the syntax tree) gets no getter: a call's value is no place to assign to."""
    from engine.syntax.design import struct_def
    from engine.syntax.story_shapes import assigned_to

    m, span = _FIELD.search(d.message), d.primary
    if m is None or span is None:
        return []
    here = read(span.file_name)
    if here is not None and span.byte_end <= len(here) and assigned_to(here, span.byte_start, span.byte_end):
        return []  # a write (`acct.field += x`): a getter's value cannot be assigned to (E0067)
    # the type's own name finds its definition; the words name it as rustc printed it
    # (`account::Account`), so one story never calls one type by two names
    field, printed, type_name = m.group(1), m.group(2), m.group(3)
    for rel in crate_files:
        data = read(rel)
        if data is None or f"struct {type_name}".encode() not in data:
            continue
        sd = struct_def(data, type_name)
        if sd is None or field not in dict(sd.fields):
            continue
        call = Edit(file=span.file_name, start=span.byte_start, end=span.byte_end, replacement=f"{field}()")
        if re.search(rf"\bfn\s+{field}\s*\(\s*&self\s*\)".encode(), data):
            return [_make([call], f"call `{field}()` instead", "getter", "E0616", 0.75)]
        ret, body = _getter_type(dict(sd.fields)[field])
        ind = sd.indent + "    "
        method = f"{ind}pub fn {field}(&self) -> {ret} {{\n{ind}    {body.format(f=field)}\n{ind}}}\n"
        if sd.impl_open is not None:
            add = Edit(file=rel, start=sd.impl_open, end=sd.impl_open, replacement="\n" + method)
        else:
            block = f"\n\n{sd.indent}impl {type_name} {{\n{method}{sd.indent}}}"
            add = Edit(file=rel, start=sd.end, end=sd.end, replacement=block)
        desc = f"add a getter `{field}(&self) -> {ret}` to `{printed}` and call it"
        return [_make([add, call], desc, "getter", "E0616", 0.8)]
    return []
