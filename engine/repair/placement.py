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
_USE_ANY = re.compile(r"use ([\w:{},*\s]+);")  # a run's items may be wrapped over lines (rustfmt does)
_HEADER = re.compile(rb"\s*(?://!|#!\[)")
_STD_ROOTS = {"std", "core", "alloc"}
_SAME_ROOT = 0.1  # an import through a root the crate imports from already goes before other paths


def _segment_key(seg: str, first: bool) -> tuple:
    """rustfmt's order of one path segment (style editions 2015-2021, checked against rustfmt 1.9):
    `self`, `super`, `crate` before names (first segment); names before a glob before a `{..}`
    list (`use std::io::Read;` above `use std::{env, io};`); among names snake_case before CamelCase
    before UPPER_SNAKE (any all-caps name, one letter too: `Ab, AB, B, D_E`), then the text."""
    if first and seg in ("self", "super", "crate"):
        return (0, ("self", "super", "crate").index(seg), "")
    if seg == "self":
        return (0, 0, "")
    if seg == "*":
        return (2, 0, "")
    if seg.startswith("{"):
        return (3, 0, seg)
    upper = seg[:1].isupper()
    screaming = upper and all(c.isupper() or c.isdigit() or c == "_" for c in seg)
    return (1, 2 if screaming else int(upper), seg)


def sort_key(path: str) -> tuple:
    path = path.replace(" ", "")
    brace = path.find("{")  # a list is one segment, whatever `::` it holds inside
    segs = path.split("::") if brace < 0 else [*path[:brace].split("::")[:-1], path[brace:]]
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
        m = _USE_ANY.fullmatch(text)
        plain = node.type == "use_declaration" and m is not None and prev_type != "attribute_item"
        if plain and m is not None and node.start_point[1] == 0:
            end = node.end_byte + (1 if data[node.end_byte : node.end_byte + 1] == b"\n" else 0)
            entry = (" ".join(m.group(1).split()).replace("{ ", "{").replace(" }", "}"), node.start_byte, end)
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
    return _after_loose_doc(data, pos)


def _after_loose_doc(data: bytes, pos: int) -> int:
    """Past a `///` block at `pos` that a blank line parts from the next item. An outer doc comment
    is written directly above the item it documents; one left standing before a blank line lost
    that item (an import under a note about it), so a first import goes back under it. `pos` when
    no such block is there."""
    end = pos
    while data.startswith(b"///", end) and not data.startswith(b"////", end):
        nl = data.find(b"\n", end)
        if nl < 0:
            return pos
        end = nl + 1
    return end if end > pos and data[end : end + 1] == b"\n" else pos


_KIND_RANK = {"std": 0, "extern": 1, "crate": 2}  # rustfmt's StdExternalCrate, the common grouping
_CODE = re.compile(
    r"(?:function|struct|enum|union|trait|impl|type|const|static|macro_invocation|macro_definition)"
)


def _import_block(data: bytes, runs: list[list[tuple[str, int, int]]]) -> list[list[tuple[str, int, int]]]:
    """The runs before the file's first code item (fn, struct, impl, static, ...): a `use` written
    below code (`use self::State::*;` beside an enum deep in the file) is local to that spot, not
    where the file keeps its imports. All runs when the file starts with code."""
    first = next((n.start_byte for n in parse(data).root_node.children if _CODE.match(n.type)), len(data))
    block = [r for r in runs if r[0][1] < first]
    return block or runs


def new_group(data: bytes, path: str) -> tuple[int, bool] | None:
    """(offset, blank line after?) for `use {path};` as a group of its own, when the file groups its
    imports (two runs or more in its import block, each of one root kind) and no run shares a segment
    or a root kind with it; a file of one run shows no grouping, and the item joins that run. Files group imports std/core/alloc, then
    external crates, then `crate::`/`self::`/`super::`, a blank line between groups. The new group
    goes after the last group of an earlier kind (else before the first), past the blank line that
    closes it, with a blank line after it unless one is already there. None when a run takes it."""
    runs = _import_block(data, _runs(data))
    grouped = len(runs) >= 2 and all(len({_kind(p) for p, _, _ in r}) == 1 for r in runs)
    if not grouped or any(_shared(path, p) or _kind(p) == _kind(path) for run in runs for p, _, _ in run):
        return None
    mine = _KIND_RANK[_kind(path)]
    before = [r for r in runs if _KIND_RANK[_kind(r[0][0])] < mine]
    if before:
        at = before[-1][-1][2]
        if data[at : at + 1] == b"\n":
            at += 1
    else:
        at = runs[0][0][1]
    return at, data[at : at + 1] not in (b"\n", b"")


def after_mod(data: bytes, path: str) -> int | None:
    """Right after `mod m;` for a path into `m` (`m::..`, `self::m::..`), when the file pairs its
    module declarations with their imports: another `mod x;` whose next line is a `use`/`pub use`
    of `x`. Such a file keeps each module's import under its `mod` line, not in a block at the
    top. None when the file does not pair them or declares no `mod m;`."""
    segs = path.removeprefix("self::").split("::")
    if len(segs) < 2:
        return None
    items = [n for n in parse(data).root_node.children if n.type not in ("line_comment", "block_comment")]
    mine = None
    paired = False
    for node, nxt in zip(items, [*items[1:], None], strict=True):
        if node.type != "mod_item" or node.child_by_field_name("body") is not None:
            continue
        name = node.child_by_field_name("name")
        m = data[name.start_byte : name.end_byte].decode() if name is not None else ""
        if m == segs[0]:
            mine = node
        elif (
            nxt is not None and nxt.type == "use_declaration" and nxt.start_point[0] == node.end_point[0] + 1
        ):
            used = re.sub(
                r"^(?:pub(?:\([\w ]+\))?\s+)?use\s+(?:self::)?",
                "",
                data[nxt.start_byte : nxt.end_byte].decode(),
            )
            paired = paired or used.startswith(f"{m}::")
    if mine is None or not paired:
        return None
    nl = data.find(b"\n", mine.end_byte)
    return len(data) if nl < 0 else nl + 1


def use_position(data: bytes, path: str, reorder: bool = True) -> int:
    """The byte offset where `use {path};` goes in `data` (see the module docstring). `reorder`
    False (rustfmt's `reorder_imports = false`): the run keeps its written order, so the line ends it."""
    if (paired := after_mod(data, path)) is not None:
        return paired
    runs = _import_block(data, _runs(data))
    if not runs:
        return _after_header(data)
    if (group := new_group(data, path)) is not None:
        return group[0]
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
    if keys != sorted(keys) or not reorder:
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


# std's modules that are core's (`pub use core::{iter, ..}` in std's lib.rs, or std's own module
# whose items core defines: fmt's traits, hash's Hash/Hasher): the same items under either path, and
# the ones in alloc (string, vec, boxed, rc). rustc names `std::` alone when the build at hand links
# std, though a `no_std`-capable crate (one built with std too, by a feature, included) imports them
# from core and alloc, so it still builds without std.
_NO_STD = re.compile(rb"#!\[(?:cfg_attr\([^\]]*)?\bno_std\b")
_CORE = frozenset(
    "any array ascii cell char clone cmp convert default fmt future hash hint iter marker mem num ops option"
    " pin ptr result slice str task".split()
)
_ALLOC = frozenset("string vec boxed rc".split())
_MODULE = re.compile(rb"\buse\s+:*(core|alloc)::(\w+)")


def _std_root(path: str, file_roots: dict[str, str], no_std: bool, crate_roots: set[str]) -> str:
    """`path` under the root the file or crate imports its module from: the file's own `core::m` or
    `alloc::m` import of the same module first; else, in a `no_std`-capable crate that imports from
    core (alloc), core's (alloc's) modules from there. Any other path as rustc wrote it."""
    segs = path.split("::")
    if segs[0] != "std" or len(segs) < 2:
        return path
    m = segs[1]
    root = file_roots.get(m)
    if root is None and no_std:
        root = "alloc" if m in _ALLOC else "core" if m in _CORE else None
        root = root if root in crate_roots else None
    return path if root is None else f"{root}::{path.removeprefix('std::')}"


def _own_root(cands: list[Candidate], read: Reader, crate_files: tuple[str, ...]) -> list[Candidate]:
    """Each `use std::m..` insertion rooted as `_std_root` says (the same items: no extra candidate,
    no extra validation)."""
    out: list[Candidate] = []
    facts: tuple[bool, set[str]] | None = None
    for c in cands:
        out.append(c)
        if not c.edits or not all(_USE_LINES.fullmatch(e.replacement) for e in c.edits):
            continue
        paths = [m.group(1) for e in c.edits for m in _USE.finditer(e.replacement)]
        if not any(p.startswith("std::") for p in paths):
            continue
        if facts is None:
            texts = [b for f in crate_files if (b := read(f))]
            facts = (any(_NO_STD.search(b) for b in texts), set().union(*(_roots(b) for b in texts)))
        no_std, crate_roots = facts
        edits = []
        for e in c.edits:
            own = read(e.file) or b""
            file_roots = {m.group(2).decode(): m.group(1).decode() for m in _MODULE.finditer(own)}
            text = "".join(
                f"use {_std_root(m.group(1), file_roots, no_std, crate_roots)};\n" if m else line
                for line in e.replacement.splitlines(keepends=True)
                for m in [_USE.fullmatch(line.rstrip("\n"))]
            )
            edits.append(msgspec.structs.replace(e, replacement=text))
        if edits != list(c.edits):
            out[-1] = msgspec.structs.replace(c, edits=tuple(edits), id=edit_id(tuple(edits)))
    return out


def place_imports(cands: list[Candidate], read: Reader, crate_files: tuple[str, ...] = ()) -> list[Candidate]:
    """Each candidate with its top-level `use` insertions moved to `use_position`; others as they were.
    A candidate importing through a root the crate's files already import from gains `_SAME_ROOT`;
    a `std::` import is rooted where the file or the crate takes that module from (`_std_root`)."""
    cands = _own_root(cands, read, crate_files)
    config = rustfmt_config(read)
    reorder = config.get("reorder_imports", True) is not False
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
                at = use_position(data, p, reorder)
                edits.append(Edit(file=e.file, start=at, end=at, replacement=f"use {p};\n"))
                if not _runs(data) and data[at : at + 1] not in (b"\n", b""):
                    blank.add((e.file, at))  # a first import: a blank line between it and the code
                elif (group := new_group(data, p)) is not None and group[1]:
                    blank.add((e.file, at))  # a group of its own: a blank line before the next group
        if not moved:
            out.append(c)
            continue
        merged = _merge(edits, blank, _max_width(config))
        out.append(msgspec.structs.replace(c, edits=merged, id=edit_id(merged), score=c.score + bonus))
    return out


def _merge(edits: list[Edit], blank: set[tuple[str, int]], width: int = 100) -> tuple[Edit, ...]:
    """Insertions at one place become one edit, their lines in rustfmt's order (then a blank line
    where the place is before code)."""
    at: dict[tuple[str, int, int], list[str]] = {}
    for e in edits:
        at.setdefault((e.file, e.start, e.end), []).append(e.replacement)
    merged = []
    for (f, s, end), texts in sorted(at.items()):
        if s == end and all(_USE_LINES.fullmatch(t) for t in texts):
            lines = sorted(dict.fromkeys(texts), key=lambda t: sort_key(_USE.match(t).group(1)))  # type: ignore[union-attr]
            lines = [wrapped(t, width) for t in lines]
            texts = [*lines, "\n"] if (f, s) in blank else lines
        merged.append(Edit(file=f, start=s, end=end, replacement="".join(texts)))
    return tuple(merged)


MAX_WIDTH = 100  # rustfmt's default max_width
_CONFIGS = ("rustfmt.toml", ".rustfmt.toml")


def rustfmt_config(read: Reader) -> dict:
    """The crate's rustfmt settings (`rustfmt.toml`, else `.rustfmt.toml`, at its root): a crate that
    sets `max_width` or `reorder_imports` has its imports written by those, not by rustfmt's
    defaults. An absent or unreadable file is rustfmt's defaults (empty)."""
    import tomllib

    for name in _CONFIGS:
        raw = read(name)
        if raw is None:
            continue
        try:
            return tomllib.loads(raw.decode("utf-8", "replace"))
        except tomllib.TOMLDecodeError:
            return {}
    return {}


def _max_width(config: dict) -> int:
    width = config.get("max_width", MAX_WIDTH)
    return width if isinstance(width, int) and width > 20 else MAX_WIDTH


def wrapped(line: str, max_width: int = MAX_WIDTH) -> str:
    """`use a::{B, C, ..};` as rustfmt writes an item it does not keep on one line: the list opened
    on the first line, its names filled onto lines indented 4 (each at most `max_width`), a trailing
    comma, `};` alone. rustfmt keeps a list item on one line only while it is at most `max_width - 2`
    wide (a 99-character item is wrapped at the default 100; checked against the installed rustfmt).
    A line that fits, or one without a list, stays as it is."""
    body = line.rstrip("\n")
    m = re.fullmatch(r"use ([\w:]+)::\{([^{}]*)\};", body)
    if len(body) <= max_width - 2 or m is None:
        return line
    out, cur = [f"use {m.group(1)}::{{"], "   "
    for name in (n.strip() for n in m.group(2).split(",")):
        if len(cur) + 1 + len(name) + 1 > max_width:
            out.append(cur)
            cur = "   "
        cur += f" {name},"
    return "\n".join([*out, cur, "};"]) + "\n"


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
