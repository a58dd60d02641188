"""Where an added `use` goes: where the developer keeps that file's imports, in rustfmt's order. Pure.

A missing name is fixed by the same `use` line whether it lands at the top of the file or in the
middle of the import block; only one of those places is the line the developer wrote (or would
write). rustfmt sorts each contiguous run of top-level `use` lines, so in a formatted file the line
has one right place: the run whose paths share the most with it, at its sorted position. In a run
that is not sorted (a file rustfmt never touched) the line goes at the end of that run. A file with
no import yet takes it after its header (`//!` docs, inner attributes) and the blank line after it.

`place_imports` moves every candidate's top-level `use` insertions (rustc's suggestions insert at
the first item, the templates after the last `use`) to that place, so one import is one candidate,
tried once; among rustc's alternative paths, one from a root the file already imports from
(`alloc::` in a `no_std` crate, `crate::`) ranks first.
"""

from __future__ import annotations

import re

import msgspec

from engine.edits import edit_id
from engine.repair.template_kit import Reader
from engine.repair.types import Candidate, Edit
from engine.syntax.tree import ancestors, node_at, parse

_USE_LINES = re.compile(r"(?:use [\w:{}, *]+;\n)+\n*")  # rustc adds a blank line after a first import
_USE = re.compile(r"use ([\w:{}, *]+);")
_HEADER = re.compile(rb"\s*(?://!|#!\[)")
_STD_ROOTS = {"std", "core", "alloc"}
_SAME_ROOT = 0.1  # an import through a root the crate imports from already goes before other paths


def _segment_key(seg: str, first: bool) -> tuple:
    """rustfmt's order of one path segment: `self`, `super`, `crate` before names (first segment);
    snake_case before CamelCase before UPPER_CASE, then the text."""
    if first and seg in ("self", "super", "crate"):
        return (0, ("self", "super", "crate").index(seg), "")
    if seg == "self":
        return (0, 0, "")
    upper = seg[:1].isupper()
    screaming = upper and seg.upper() == seg and len(seg) > 1
    return (1, 2 if screaming else int(upper), seg)


def sort_key(path: str) -> tuple:
    segs = path.replace(" ", "").split("::")
    return tuple(_segment_key(s, i == 0) for i, s in enumerate(segs))


def _runs(data: bytes) -> list[list[tuple[str, int, int]]]:
    """Contiguous runs of plain top-level `use` lines: (path, start byte, end byte after its newline).
    A `use` under an attribute (`#[cfg(..)]`) or a `pub use` starts no run and ends the current one."""
    root = parse(data).root_node
    runs: list[list[tuple[str, int, int]]] = []
    last_row = -2
    prev_type = ""
    for node in root.children:
        text = data[node.start_byte : node.end_byte].decode("utf-8", "replace")
        m = _USE.fullmatch(text)
        plain = node.type == "use_declaration" and m is not None and prev_type != "attribute_item"
        if plain and m is not None and node.start_point[1] == 0:
            end = node.end_byte + (1 if data[node.end_byte : node.end_byte + 1] == b"\n" else 0)
            entry = (m.group(1), node.start_byte, end)
            if runs and node.start_point[0] == last_row + 1:
                runs[-1].append(entry)
            else:
                runs.append([entry])
            last_row = node.end_point[0]
        elif node.type not in ("line_comment", "block_comment"):
            last_row = -2
        prev_type = node.type
    return runs


def _shared(a: str, b: str) -> int:
    n = 0
    for x, y in zip(a.split("::"), b.split("::"), strict=False):
        if x != y:
            break
        n += 1
    return n


def _kind(path: str) -> str:
    root = path.split("::")[0]
    return "std" if root in _STD_ROOTS else "crate" if root in ("crate", "self", "super") else "extern"


def _after_header(data: bytes) -> int:
    """After every `//!` line and inner attribute at the top, and the blank line that follows them."""
    pos = offset = 0
    for line in data.split(b"\n"):
        nxt = min(offset + len(line) + 1, len(data))
        if _HEADER.match(line):
            pos = nxt
        elif line.strip():
            break
        offset = nxt
    if pos and data[pos : pos + 1] == b"\n":
        pos += 1
    return pos


def use_position(data: bytes, path: str) -> int:
    """The byte offset where `use {path};` goes in `data` (see the module docstring)."""
    runs = _runs(data)
    if not runs:
        return _after_header(data)
    best = max(
        runs,
        key=lambda run: (
            max(_shared(path, p) for p, _, _ in run),
            any(_kind(p) == _kind(path) for p, _, _ in run),
        ),
    )
    if max(_shared(path, p) for p, _, _ in best) == 0 and not any(
        _kind(p) == _kind(path) for p, _, _ in best
    ):
        best = runs[-1]
    keys = [sort_key(p) for p, _, _ in best]
    if keys != sorted(keys):
        return best[-1][2]
    mine = sort_key(path)
    for (_, start, _), key in zip(best, keys, strict=True):
        if mine < key:
            return start
    return best[-1][2]


def _top_level(data: bytes, pos: int) -> bool:
    """`pos` starts a line outside every item (not inside a `mod { }`, fn or impl)."""
    if pos and data[pos - 1 : pos] != b"\n":
        return False
    return all(not (n.start_byte < pos < n.end_byte) for n in parse(data).root_node.children)


_ANY_USE = re.compile(rb"^\s*(?:pub(?:\([\w ]+\))?\s+)?use\s+:*(\w+)::", re.M)


def _roots(data: bytes) -> set[str]:
    """The first segments of every `use` path in a file, at any depth."""
    return {m.group(1).decode() for m in _ANY_USE.finditer(data)}


# std's modules that are core's, re-exported whole (`pub use core::{iter, ..}` in std's lib.rs): the
# same items under either path. A `no_std` crate (one built with std too, by a feature, included)
# imports them from core, though rustc names `std::` alone. Not alloc's: `extern crate alloc` is
# often behind a cfg the build at hand does not set.
_NO_STD = re.compile(rb"#!\[(?:cfg_attr\([^\]]*)?\bno_std\b")
_CORE = frozenset(
    "any array cell char clone cmp convert default future hint iter marker mem ops option pin ptr result".split()
)


def _own_root(cands: list[Candidate], read: Reader, crate_files: tuple[str, ...]) -> list[Candidate]:
    """Each `use std::m..` insertion as the same import from `core::` in a `no_std` crate whose files
    import from core (the same items: no extra candidate, no extra validation)."""
    out: list[Candidate] = []
    roots: set[str] | None = None
    for c in cands:
        out.append(c)
        if not c.edits or not all(_USE_LINES.fullmatch(e.replacement) for e in c.edits):
            continue
        paths = [m.group(1) for e in c.edits for m in _USE.finditer(e.replacement)]
        if not paths or not all(p.startswith("std::") for p in paths):
            continue
        if roots is None:
            texts = [b for f in crate_files if (b := read(f))]
            if not any(_NO_STD.search(b) for b in texts):
                return cands
            roots = set().union(*(_roots(b) for b in texts))

        def own(p: str, roots: set[str] = roots) -> str | None:
            m = p.split("::")[1]
            return f"core::{p.removeprefix('std::')}" if m in _CORE and "core" in roots else None

        if all(own(p) for p in paths):
            edits = tuple(
                msgspec.structs.replace(
                    e, replacement=_USE.sub(lambda m: f"use {own(m.group(1))};", e.replacement)
                )
                for e in c.edits
            )
            out[-1] = msgspec.structs.replace(c, edits=edits, id=edit_id(edits))
    return out


def place_imports(cands: list[Candidate], read: Reader, crate_files: tuple[str, ...] = ()) -> list[Candidate]:
    """Each candidate with its top-level `use` insertions moved to `use_position`; others as they were.
    A candidate importing through a root the crate's files already import from gains `_SAME_ROOT`;
    a `std::` import of a module std re-exports whole from core comes from `core::` in a `no_std` crate."""
    cands = _own_root(cands, read, crate_files)
    out = []
    roots: set[str] | None = None
    for c in cands:
        edits: list[Edit] = []
        bonus = 0.0
        moved = False
        blank: set[tuple[str, int]] = set()
        for e in c.edits:
            data = read(e.file) if e.start == e.end and _USE_LINES.fullmatch(e.replacement) else None
            if data is None or not _top_level(data, e.start):
                edits.append(e)
                continue
            moved = True
            paths = [m.group(1) for m in _USE.finditer(e.replacement)]
            if roots is None:
                roots = set().union(*(_roots(b) for f in {e.file, *crate_files} if (b := read(f))))
            if any(p.split("::")[0] in roots for p in paths):
                bonus = _SAME_ROOT
            for p in paths:
                at = use_position(data, p)
                edits.append(Edit(file=e.file, start=at, end=at, replacement=f"use {p};\n"))
                if not _runs(data) and data[at : at + 1] not in (b"\n", b""):
                    blank.add((e.file, at))  # a first import: a blank line between it and the code
        if not moved:
            out.append(c)
            continue
        merged = _merge(edits, blank)
        out.append(msgspec.structs.replace(c, edits=merged, id=edit_id(merged), score=c.score + bonus))
    return out


def _merge(edits: list[Edit], blank: set[tuple[str, int]]) -> tuple[Edit, ...]:
    """Insertions at one place become one edit, their lines in rustfmt's order (then a blank line
    where the place is before code)."""
    at: dict[tuple[str, int, int], list[str]] = {}
    for e in edits:
        at.setdefault((e.file, e.start, e.end), []).append(e.replacement)
    merged = []
    for (f, s, end), texts in sorted(at.items()):
        if s == end and all(_USE_LINES.fullmatch(t) for t in texts):
            lines = sorted(dict.fromkeys(texts), key=lambda t: sort_key(_USE.match(t).group(1)))  # type: ignore[union-attr]
            texts = [*lines, "\n"] if (f, s) in blank else lines
        merged.append(Edit(file=f, start=s, end=end, replacement="".join(texts)))
    return tuple(merged)


def module_use_edit(data: bytes, at: int, path: str) -> tuple[int, str] | None:
    """(offset, text) for `use {path};` in the innermost inline `mod name { .. }` around byte `at`:
    a `use` at the crate root does not reach into a module, so the import goes where the name is
    used, after the module's own `use` lines (else first in it), indented like its items. None when
    `at` is not inside an inline module (the file's own scope takes it)."""
    here = node_at(data, at, at + 1)
    body = next(
        (
            n
            for n in (here, *ancestors(here))
            if n.type == "declaration_list" and n.parent is not None and n.parent.type == "mod_item"
        ),
        None,
    )
    if body is None:
        return None
    items = [c for c in body.named_children if c.type != "line_comment"]
    uses = [c for c in items if c.type == "use_declaration"]
    if uses:
        pos = uses[-1].end_byte
        pos = data.index(b"\n", pos) + 1 if b"\n" in data[pos:] else len(data)
    else:
        pos = (
            data.index(b"\n", body.start_byte) + 1
            if b"\n" in data[body.start_byte :]
            else body.start_byte + 1
        )
    first = uses[-1] if uses else (items[0] if items else None)
    line_start = data.rfind(b"\n", 0, first.start_byte) + 1 if first is not None else pos
    indent = data[line_start : first.start_byte].decode() if first is not None else "    "
    if indent.strip():
        indent = "    "
    return pos, f"{indent}use {path};\n"
