"""One lost `use` item that several names needed, restored as one item: `use m::{A, B, self}`. Pure.

The general mistake: a multi-name `use` line (`use std::io::{self, Write};`, `use crate::ast::{Expr,
Stmt};`) is deleted or never written, and every name it bound fails to resolve (E0412, E0425,
E0433, E0422, E0531, ...), each error with rustc's own `use path::Name;` suggestions. Importing each
name on its own line compiles, but it is not the line the developer wrote; a developer writes one
item per module. So the errors' suggested paths are grouped by their module: the module that the
most unresolved names of one file share becomes one braced item (a suggested path that *is* that
module joins as `self`), names it does not offer keep their own line in the same candidate, and the
whole candidate clears every unresolved name of the file at once. `place_imports` then moves the
item to where the file keeps its imports.

`resolves` counts the unresolved names an import candidate brings into scope: the Action head's
view carries it (`CandidateView.n_resolves`), since an edit that answers one name of eight leaves
seven errors however well it reads.
"""

from __future__ import annotations

import re

from engine.repair.placement import sort_key
from engine.repair.template_kit import Reader, _make
from engine.repair.types import Candidate, Edit
from engine.syntax.use_items import Exports, module_exports
from toolbelt.types import Diagnostic

IMPORT_CODES = frozenset({"E0412", "E0425", "E0433", "E0422", "E0531", "E0405", "E0404", "E0423"})
_SUGGESTED = re.compile(r"use ((?:\w+::)*\w+);")
_NAME = re.compile(r"`(?:[\w:]*::)?(\w+)`")


def _name(d: Diagnostic) -> str | None:
    """The unresolved name rustc reports (its last segment: `io` of `io::Error` is what failed)."""
    m = _NAME.search(d.message)
    return m.group(1) if m else None


def _suggestions(d: Diagnostic) -> list[tuple[str, int, str]]:
    """(file, byte offset, path) of every `use path;` rustc suggests for `d`, in rustc's order."""
    out = []
    for child in d.children:
        for s in child.spans:
            m = _SUGGESTED.fullmatch((s.suggested_replacement or "").strip())
            if m:
                out.append((s.file_name, s.byte_start, m.group(1)))
    return out


def _member(name: str) -> tuple:
    """rustfmt's order inside braces: `self` first, then as `sort_key` orders one segment."""
    return (0,) if name == "self" else (1, sort_key(name))


def _crate_exports(module: str, read: Reader, crate_files: tuple[str, ...]) -> Exports | None:
    """What the crate's module `crate::a::b` makes public, read from the file (or inline `mod`) that
    holds it; None for a path outside the crate or a module not found."""
    segs = module.split("::")
    if segs[0] != "crate":
        return None
    segs = segs[1:]
    for i in range(len(segs), -1, -1):
        head = "/".join(segs[:i])
        files = ("src/lib.rs", "src/main.rs") if i == 0 else (f"src/{head}.rs", f"src/{head}/mod.rs")
        for f in files:
            data = read(f) if f in crate_files else None
            if data is not None and (names := module_exports(data, tuple(segs[i:]))) is not None:
                return names
    return None


def group_imports(
    errors: list[Diagnostic], read: Reader | None = None, crate_files: tuple[str, ...] = ()
) -> list[Candidate]:
    """Per file with two unresolved names or more from one module: one candidate whose braced item
    imports them all, other names of the file on their own lines (rustc's first path). When that
    module is the crate's own, made mostly of `pub use` re-exports (a prelude, an `imports` module),
    and the file needs more than half of what it exports, its glob `use m::*;` comes just before the
    braced item: such a module exists to be imported whole; one of its own items, by name."""
    per_file: dict[str, dict[str, list[tuple[int, str]]]] = {}  # file -> name -> (offset, path)
    for d in errors:
        name = _name(d)
        if (d.code_str or "") not in IMPORT_CODES or name is None:
            continue
        for f, at, path in _suggestions(d):
            if path.rsplit("::", 1)[-1] == name:
                paths = per_file.setdefault(f, {}).setdefault(name, [])
                if (at, path) not in paths:
                    paths.append((at, path))
    out: list[Candidate] = []
    for f, names in per_file.items():
        modules: dict[str, set[str]] = {}
        for name, paths in names.items():
            for _, path in paths:
                if "::" in path:
                    modules.setdefault(path.rsplit("::", 1)[0], set()).add(name)
        for name, paths in names.items():  # a suggested path that is itself a module joins as `self`
            for _, path in paths:
                if path in modules:
                    modules[path].add(f"self={name}")
        if not modules:
            continue
        best = max(modules, key=lambda m: (len(modules[m]), -len(m), m))
        members = modules[best]
        covered = {m.removeprefix("self=") for m in members}
        if len(covered) < 2:
            continue
        listed = sorted(("self" if m.startswith("self=") else m for m in members), key=_member)
        at = min(a for n in covered for a, _ in names[n])
        lines = [f"use {best}::{{{', '.join(listed)}}};\n"]
        lines += [f"use {names[n][0][1]};\n" for n in sorted(names) if n not in covered]
        edit = Edit(file=f, start=at, end=at, replacement="".join(lines))
        # rustc's suggestion for one name gains 0.1 per further error proposing it (`candidates_for`'s
        # votes); this item answers every error of every name it covers, so it counts them all alike
        votes = sum(1 for d in errors if _name(d) in covered and (d.code_str or "") in IMPORT_CODES)
        score = 0.6 + 0.1 * (votes - 1) + 0.01 * min(len(covered), 9)
        exports = _crate_exports(best, read, crate_files) if read is not None else None
        if (
            exports is not None
            and len(exports.reexported) * 2 >= len(exports.names)
            and len(covered & exports.names) * 2 > len(exports.names)
        ):
            glob = Edit(file=f, start=at, end=at, replacement="".join([f"use {best}::*;\n", *lines[1:]]))
            out.append(_make([glob], f"import everything from `{best}`", "use-glob", "E0425", score + 0.05))
        out.append(
            _make(
                [edit],
                f"import {', '.join(sorted(covered))} from `{best}` in one `use`",
                "use-group",
                "E0425",
                score,
            )
        )
    return out


def resolves(inserted: str, errors: list[Diagnostic]) -> int:
    """How many unresolved-name errors the `use` items in `inserted` bring a name for (a glob counts
    for the names rustc suggests under its module)."""
    bound: set[str] = set()
    globs: set[str] = set()
    for m in re.finditer(r"use ([\w:]+?)(?:::\{([^}]*)\}|::\*)?;", inserted):
        path, inner = m.group(1), m.group(2)
        if m.group(0).endswith("*;"):
            globs.add(path)
        elif inner is None:
            bound.add(path.rsplit("::", 1)[-1])
        else:
            for part in inner.split(","):
                part = part.strip()
                bound.add(
                    path.rsplit("::", 1)[-1] if part == "self" else part.split(" as ")[-1].rsplit("::", 1)[-1]
                )
    n = 0
    for d in errors:
        name = _name(d)
        if (d.code_str or "") not in IMPORT_CODES or name is None:
            continue
        if name in bound or any(p.rsplit("::", 1)[0] in globs for _, _, p in _suggestions(d)):
            n += 1
    return n
