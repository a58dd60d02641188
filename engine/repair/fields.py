"""Struct literals that name a field the struct lacks (E0560) or leave fields out (E0063).

E0560: rustc lists the struct's fields ("available fields are: `timeout_ms`") without picking one
when no name is close by its own measure; a listed field that the wrong name is a prefix, a suffix or
a near spelling of is the rename an expert makes (`timeout` -> `timeout_ms`). A shorthand field
(`Request { timeout }`) keeps its value: `timeout_ms: timeout`.

E0063: the missing fields are added. When the struct derives or implements `Default`, one
`..Default::default()` fills them all; otherwise each field gets the plain value of its type (`0`,
`0.0`, `false`, `String::new()`, `None`, `Vec::new()`, else `Default::default()`). The sandbox says
whether the type has that value; a guessed value is a choice the user sees in the diff.
Pure; every candidate is checked by cargo before it is shown.
"""

from __future__ import annotations

import difflib
import re

from engine.repair.template_kit import Reader, _make
from engine.repair.types import Candidate, Edit
from engine.syntax.design import struct_def, struct_literal_at
from engine.syntax.tree import node_at
from toolbelt.types import Diagnostic

_AVAILABLE = re.compile(r"available fields? (?:are|is): (?P<list>.+)")
_TICKED = re.compile(r"`(\w+)`")
_NO_FIELD = re.compile(r"has no field named `(?P<name>\w+)`")
_MISSING = re.compile(r"missing fields? (?P<list>.+?) in initializer of `(?P<ty>[^`]+)`")
_INTS = r"(?:i|u)(?:8|16|32|64|128|size)"


def _close(wrong: str, fields: list[str]) -> str | None:
    """The one listed field the wrong name is close to: a prefix or suffix of it (`timeout` of
    `timeout_ms`), or a near spelling (ratio >= 0.75). None when none or two are equally close."""
    scored = []
    for f in fields:
        if f == wrong:
            continue
        affix = f.startswith(wrong + "_") or f.endswith("_" + wrong) or wrong.startswith(f + "_")
        affix = affix or wrong.endswith("_" + f)
        ratio = difflib.SequenceMatcher(None, wrong, f).ratio()
        if affix or ratio >= 0.75:
            scored.append((1.0 if affix else ratio, f))
    scored.sort(reverse=True)
    if not scored or (len(scored) > 1 and scored[0][0] == scored[1][0]):
        return None
    return scored[0][1]


def rename_field(d: Diagnostic, read: Reader) -> list[Candidate]:
    """E0560: `timeout: 5000` where the struct has `timeout_ms`."""
    prim = d.primary
    m = _NO_FIELD.search(d.message)
    if prim is None or m is None:
        return []
    listed = [
        f for c in d.children if (a := _AVAILABLE.search(c.message)) for f in _TICKED.findall(a["list"])
    ]
    target = _close(m["name"], listed)
    source = read(prim.file_name)
    if target is None or source is None:
        return []
    node = node_at(source, prim.byte_start, prim.byte_end)
    shorthand = node.type == "shorthand_field_initializer" or (
        node.parent is not None and node.parent.type == "shorthand_field_initializer"
    )
    text = f"{target}: {m['name']}" if shorthand else target
    edit = Edit(file=prim.file_name, start=prim.byte_start, end=prim.byte_end, replacement=text)
    return [_make([edit], f"use the struct's field `{target}`", "rename-field", d.code_str or "E0560", 0.85)]


def plain_value(ty: str) -> str:
    """The value a field of type `ty` starts from when nothing else is known."""
    t = re.sub(r"\s+", "", ty)
    if re.fullmatch(_INTS, t):
        return "0"
    if t in ("f32", "f64"):
        return "0.0"
    if t == "bool":
        return "false"
    if t == "char":
        return "' '"
    if t.startswith("Option<"):
        return "None"
    head = t.split("<")[0].split("::")[-1]
    if head in ("String", "Vec", "HashMap", "HashSet", "BTreeMap", "BTreeSet", "VecDeque"):
        return f"{head}::new()"
    return "Default::default()"


def _has_default(files: list[bytes], name: str) -> bool:
    derive = re.compile(
        rb"#\[derive\(([^)]*)\)\]\s*(?:#\[[^\]]*\]\s*)*(?:pub(?:\([^)]*\))?\s+)?struct\s+"
        + name.encode()
        + rb"\b"
    )
    impl = re.compile(
        rb"impl(?:<[^>]*>)?\s+(?:std::default::|core::default::)?Default\s+for\s+" + name.encode() + rb"\b"
    )
    for data in files:
        if impl.search(data) or any(re.search(rb"\bDefault\b", m.group(1)) for m in derive.finditer(data)):
            return True
    return False


def missing_fields(d: Diagnostic, read: Reader, crate_files: tuple[str, ...]) -> list[Candidate]:
    """E0063: add the fields rustc names, or `..Default::default()` when the struct has a Default."""
    prim = d.primary
    m = _MISSING.search(d.message)
    if prim is None or m is None or re.search(r"\d+ other fields?", m["list"]):
        return []
    names = _TICKED.findall(m["list"])
    type_name = m["ty"].split("<")[0].split("::")[-1]
    source = read(prim.file_name)
    lit = struct_literal_at(source, prim.byte_start, prim.byte_end) if source else None
    if source is None or lit is None or lit.has_base or not names:
        return []
    files = [data for f in crate_files if (data := read(f)) is not None]
    defs = [sd for data in files if (sd := struct_def(data, type_name)) is not None]
    if len(defs) != 1:
        return []
    types = dict(defs[0].fields)
    if any(n not in types for n in names):
        return []
    body = lit.range.text
    close = lit.range.start + len(body.encode()) - 1  # the literal's `}`
    inner = source[lit.range.start : close].decode("utf-8", "replace").rstrip()
    multiline = "\n" in body
    lead = "" if inner.endswith((",", "{")) else ","
    head = source[: lit.range.start].decode("utf-8", "replace")
    indent = re.match(r"[ \t]*", head[head.rfind("\n") + 1 :]).group(0)  # type: ignore[union-attr]
    at = lit.range.start + len(inner.encode())
    code = d.code_str or "E0063"
    out: list[Candidate] = []
    parts = [(n, plain_value(types[n])) for n in names]
    if multiline:
        sep = f"\n{indent}    "
        add = lead + "".join(f"{sep}{n}: {v}," for n, v in parts)
        base = f"{lead}{sep}..Default::default()"
    else:
        add = lead + "".join(f" {n}: {v}," for n, v in parts).rstrip(",") + " "
        base = f"{lead} ..Default::default() "
    if _has_default(files, type_name):
        edit = Edit(file=prim.file_name, start=at, end=close if not multiline else at, replacement=base)
        out.append(
            _make([edit], "fill the other fields with `..Default::default()`", "struct-base", code, 0.8)
        )
    edit = Edit(file=prim.file_name, start=at, end=close if not multiline else at, replacement=add)
    what = ", ".join(f"`{n}: {v}`" for n, v in parts)
    out.append(
        _make([edit], f"add the missing field{'s' * (len(parts) > 1)}: {what}", "add-fields", code, 0.7)
    )
    return out
