"""Templates for names that do not resolve: a typo by edit distance, or a missing `use`. Pure."""

from __future__ import annotations

import re

from engine.repair.placement import module_use_edit
from engine.repair.template_kit import Reader, _make, _primary, _span_text
from engine.repair.types import Candidate, Edit
from engine.syntax.option_shapes import edit_distance
from toolbelt.probe_scan import KEYWORDS
from toolbelt.types import Diagnostic

_NAME = re.compile(r"`(?P<name>[^`]+)`")

_STD_ITEMS = {
    "HashMap": "std::collections::HashMap",
    "HashSet": "std::collections::HashSet",
    "BTreeMap": "std::collections::BTreeMap",
    "BTreeSet": "std::collections::BTreeSet",
    "VecDeque": "std::collections::VecDeque",
    "BinaryHeap": "std::collections::BinaryHeap",
    "Rc": "std::rc::Rc",
    "Arc": "std::sync::Arc",
    "Mutex": "std::sync::Mutex",
    "RwLock": "std::sync::RwLock",
    "RefCell": "std::cell::RefCell",
    "Cell": "std::cell::Cell",
    "Ordering": "std::cmp::Ordering",
    "fmt": "std::fmt",
    "io": "std::io",
    "mem": "std::mem",
    "ptr": "std::ptr",
    "Path": "std::path::Path",
    "PathBuf": "std::path::PathBuf",
    "Read": "std::io::Read",
    "Write": "std::io::Write",
    "BufRead": "std::io::BufRead",
    "FromStr": "std::str::FromStr",
    "Display": "std::fmt::Display",
    "Debug": "std::fmt::Debug",
    "Cow": "std::borrow::Cow",
    "Borrow": "std::borrow::Borrow",
    "Hash": "std::hash::Hash",
    "Hasher": "std::hash::Hasher",
    "Duration": "std::time::Duration",
    "Instant": "std::time::Instant",
    "PhantomData": "std::marker::PhantomData",
    "Infallible": "std::convert::Infallible",
    "TryFrom": "std::convert::TryFrom",
    "TryInto": "std::convert::TryInto",
    "Deref": "std::ops::Deref",
    "DerefMut": "std::ops::DerefMut",
    "Range": "std::ops::Range",
    "Error": "std::error::Error",
    "NonNull": "std::ptr::NonNull",
    "Wrapping": "std::num::Wrapping",
    "Entry": "std::collections::hash_map::Entry",
}


def combined_imports(errors: list[Diagnostic]) -> list[Candidate]:
    """One edit that brings back every missing name at once: a lost `use` breaks many lines.

    Two forms: each error's first suggested `use` line (crate items first), and, when several
    suggestions come from one crate module, a glob import of that module.
    """
    per_file: dict[tuple[str, int], list[str]] = {}
    modules: dict[tuple[str, int], dict[str, int]] = {}
    for d in errors:
        if (d.code_str or "") not in _IMPORT_CODES:
            continue
        for child in d.children:
            lines = [
                (s, s.suggested_replacement or "")
                for s in child.spans
                if (s.suggested_replacement or "").startswith("use ")
            ]
            if not lines:
                continue
            lines.sort(key=lambda sl: (not sl[1].startswith("use crate::"), sl[1]))
            span, line = lines[0]
            key = (span.file_name, span.byte_start)
            if line not in per_file.setdefault(key, []):
                per_file[key].append(line)
            for _, text in lines:
                if m := re.match(r"use (crate(?:::\w+)+)::\w+;", text):
                    modules.setdefault(key, {}).setdefault(m.group(1), 0)
                    modules[key][m.group(1)] += 1
    out: list[Candidate] = []
    if sum(len(v) for v in per_file.values()) >= 2:
        edits = [
            Edit(file=f, start=pos, end=pos, replacement="".join(lines))
            for (f, pos), lines in per_file.items()
        ]
        out.append(_make(edits, "import every missing name", "use-all", "E0425", 0.6))
    for (f, pos), mods in modules.items():
        for mod, n in mods.items():
            if n >= 2:
                edit = Edit(file=f, start=pos, end=pos, replacement=f"use {mod}::*;\n")
                out.append(
                    _make(
                        [edit],
                        f"import everything from `{mod}`",
                        "use-glob",
                        "E0425",
                        0.55 + 0.01 * min(n, 9),
                    )
                )
    return out


_IMPORT_CODES = {"E0425", "E0412", "E0433", "E0422", "E0405", "E0404", "E0432", "E0531", "E0423"}


def _edit_distance(a: str, b: str, limit: int = 3) -> int:
    if abs(len(a) - len(b)) > limit:
        return limit + 1
    return edit_distance(a, b)


def unresolved_name(d: Diagnostic, read: Reader, crate_files: tuple[str, ...]) -> list[Candidate]:
    """E0425/E0412/E0433/E0422/E0432/E0599: a typo by edit distance, or a missing `use`."""
    span = _primary(d)
    m = _NAME.search(d.message)
    if span is None or not m:
        return []
    name = m.group("name").split("::")[-1]
    code = d.code_str or "E0425"
    data = read(span.file_name) or b""
    text = data.decode("utf-8", "replace")
    out: list[Candidate] = []
    idents = set(re.findall(r"\b[A-Za-z_]\w*\b", text)) - {name} - KEYWORDS  # `out` is never a typo of `mut`
    near = sorted((_edit_distance(name, i), i) for i in idents if abs(len(i) - len(name)) <= 2)
    target = _span_text(span, read) or ""
    for dist, ident in near[:3]:
        if dist > 2 or target != name:
            continue
        out.append(
            _make(
                [Edit(file=span.file_name, start=span.byte_start, end=span.byte_end, replacement=ident)],
                f"did you mean `{ident}`",
                "typo",
                code,
                0.6 - 0.1 * dist,
            )
        )
    for path in _import_paths(name, read, crate_files):
        pos, line = module_use_edit(data, span.byte_start, path) or (_use_insert_pos(data), f"use {path};\n")
        out.append(
            _make(
                [Edit(file=span.file_name, start=pos, end=pos, replacement=line)],
                f"import `{path}`",
                "use",
                code,
                0.55,
            )
        )
    return out


_NO_METHOD = re.compile(
    r"^no (?:method|function or associated item|associated item) named `(?P<name>\w+)` found"
)


def method_typo(d: Diagnostic, read: Reader) -> list[Candidate]:
    """E0599 "no method named `net` found": a misspelled method, not a missing one. The names the
    file calls as methods or defines with `fn` come first, then its other words (`let next = ...`);
    rustc's own "similar name" (`ne`) only knows the receiver's methods with one fewer letter."""
    span = _primary(d)
    m = _NO_METHOD.search(d.message)
    if span is None or m is None or _span_text(span, read) != m.group("name"):
        return []
    name = m.group("name")
    text = (read(span.file_name) or b"").decode("utf-8", "replace")
    methods = set(re.findall(r"(?:\.|::|\bfn\s+)([a-z_]\w*)\s*(?:::<[^>]*>\s*)?\(", text))
    words = set(re.findall(r"\b[a-z_]\w*\b", text)) - KEYWORDS
    near = sorted(
        (_edit_distance(name, i), i not in methods, i)
        for i in (methods | words) - {name}
        if abs(len(i) - len(name)) <= 2
    )
    out: list[Candidate] = []
    for dist, _, ident in near[:5]:
        if dist > 2:
            break
        edit = Edit(file=span.file_name, start=span.byte_start, end=span.byte_end, replacement=ident)
        out.append(_make([edit], f"did you mean `{ident}`", "typo", d.code_str or "E0599", 0.6 - 0.1 * dist))
    return out


def crate_root_import(d: Diagnostic, read: Reader, crate_files: tuple[str, ...]) -> list[Candidate]:
    """E0432 `unresolved import `crate::atomic``: the crate root lost its `use core::sync::atomic;`.

    rustc's help rewrites each importing line to the similar path it found; putting that path back
    at the root restores every importer with one edit in one file, as the code was written.
    """
    m = re.search(r"unresolved import `crate::(?P<name>\w+)`", d.message)
    root = next((f for f in ("src/lib.rs", "src/main.rs") if f in crate_files), None)
    if m is None or root is None:
        return []
    name = m.group("name")
    paths = {
        s.suggested_replacement
        for c in d.children
        for s in c.spans
        if s.suggested_replacement and re.fullmatch(rf"(?:\w+::)+{name}", s.suggested_replacement)
    }
    data = read(root)
    if data is None:
        return []
    pos = _use_insert_pos(data)
    return [
        _make(
            [Edit(file=root, start=pos, end=pos, replacement=f"use {path};\n")],
            f"import `{path}` at the crate root",
            "use-root",
            d.code_str or "E0432",
            0.6,
        )
        for path in sorted(paths)
    ]


def _import_paths(name: str, read: Reader, crate_files: tuple[str, ...]) -> list[str]:
    paths: list[str] = []
    if name in _STD_ITEMS:
        paths.append(_STD_ITEMS[name])
    decl = re.compile(
        rf"^\s*pub(?:\([^)]*\))?\s+(?:fn|struct|enum|trait|type|const|static|mod)\s+{re.escape(name)}\b", re.M
    )
    for f in crate_files:
        body = read(f)
        if body and decl.search(body.decode("utf-8", "replace")):
            mod = _module_path(f)
            if mod is not None:
                paths.append("::".join(["crate", *mod, name]))
    return paths[:3]


def _module_path(f: str) -> list[str] | None:
    parts = f.split("/")
    if not parts or parts[0] != "src":
        return None
    parts = parts[1:]
    last = parts[-1].removesuffix(".rs")
    parts = parts[:-1] + ([] if last in ("lib", "main", "mod") else [last])
    return parts


def _use_insert_pos(data: bytes) -> int:
    """After the last top-level `use` line, else after the file's header: its inner attributes and
    `//!` docs (all of them: a `use` between two doc lines would end the crate's doc comment)."""
    pos = 0
    offset = 0
    header = True
    for line in data.split(b"\n"):
        stripped = line.strip()
        nxt = min(offset + len(line) + 1, len(data))
        if line.startswith(b"use "):
            pos, header = nxt, False
        elif header and stripped.startswith((b"#![", b"//!")):
            pos = nxt
        elif stripped:
            header = False
        offset = nxt
    return pos
