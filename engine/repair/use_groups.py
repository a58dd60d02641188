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
TRAIT_CODES = frozenset({"E0599"})  # a method not found, answered by importing its trait
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


_EXTERN_ROOT = re.compile(r"crate::(std|core|alloc)::")


def _bound(d: Diagnostic) -> list[tuple[str, int, str, str]]:
    """(file, offset, path, name) for each suggested `use` of `d`: the path cut to the name the
    import must bind, and that name. Three shapes of the same fact, "this path brings the missing
    name into scope":
    - the path ends with the unresolved name (`std::io` for `io`): as it is;
    - the unresolved name is a module the path passes through (`std::env::consts` for `env::consts::OS`
      failing at `env`): the path cut after that segment (`std::env`), since the lost item bound the
      module, not the item below it;
    - a method error (E0599, `to_string` not found) whose suggestion imports a trait: the trait is
      the name bound (`ToString`), as no path ends with a method's name.
    A path through an `extern crate` declared at the root (`crate::std::string::ToString`) is the
    crate's own path (`std::string::ToString`): the same item, written as every other import is."""
    name = _name(d)
    out = []
    for f, at, path in _suggestions(d):
        path = _EXTERN_ROOT.sub(r"\1::", path, count=1) if path.startswith("crate::") else path
        segs = path.split("::")
        if name is not None and segs[-1] == name:
            out.append((f, at, path, name))
        elif name is not None and name in segs[:-1]:
            out.append((f, at, "::".join(segs[: segs.index(name) + 1]), name))
        elif (d.code_str or "") == "E0599" and segs[-1][:1].isupper():
            out.append((f, at, path, segs[-1]))
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


_FILE_USE = re.compile(r"^\s*use\s+(crate(?:::\w+)+)::(?:\{|\w+\s*;)", re.M)


_LIST = re.compile(rb"^\s*(?:pub(?:\([\w ]+\))?\s+)?use\s+[\w:]+::\{([\w, ]+)\};", re.M)


def _ordered(names: list[str], file: str, read: Reader | None, crate_files: tuple[str, ...]) -> list[str]:
    """The names of a braced item in the order the crate writes lists: rustfmt's (`_member`) when
    every one-line list in the crate follows it (or none exists); else, in a crate whose lists
    rustfmt never sorted (`{self, BufRead, Read, BufReader}`), the order the names are first used in
    the file, as a developer adds a name to the list when the code first needs it."""
    ranked = sorted(names, key=_member)
    if read is None:
        return ranked
    for f in crate_files:
        for lst in _LIST.finditer(read(f) or b""):
            written = [n.strip() for n in lst.group(1).decode().split(",") if n.strip()]
            if written != sorted(written, key=_member):
                text = (read(file) or b"").decode("utf-8", "replace")
                first = {
                    n: (m.start() if (m := re.search(rf"\b{re.escape(n)}\b", text)) else len(text))
                    for n in names
                }
                return sorted(ranked, key=lambda n: (n != "self", first[n]))
    return ranked


def _file_module(best: str, covered: set[str], file: str, read: Reader, crate_files: tuple[str, ...]) -> str:
    """The crate module this file already imports from that defines every covered name, in place of
    `best` when `best` is a module above it (rustc names the shortest public path, often a root
    re-export: `crate::Abs` for `crate::type_operators::Abs`; the file that imports
    `crate::type_operators::{IsLess, ..}` elsewhere wrote the lost item from that module too).
    `best` itself when no such module exists."""
    data = read(file) or b""
    for m in dict.fromkeys(_FILE_USE.findall(data.decode("utf-8", "replace"))):
        if m == best or not m.startswith(best + "::"):
            continue
        exports = _crate_exports(m, read, crate_files)
        if exports is not None and covered <= exports.names:
            return m
    return best


def group_imports(
    errors: list[Diagnostic], read: Reader | None = None, crate_files: tuple[str, ...] = ()
) -> list[Candidate]:
    """Per file with two unresolved names or more from one module: one candidate whose braced item
    imports them all, other names of the file on their own lines (rustc's first path). When that
    module is the crate's own, made mostly of `pub use` re-exports (a prelude, an `imports` module),
    and the file needs more than half of what it exports, its glob `use m::*;` comes just before the
    braced item: such a module exists to be imported whole; one of its own items, by name."""
    per_file: dict[str, dict[str, list[tuple[int, str]]]] = {}  # file -> name -> (offset, path)
    answered: dict[int, set[str]] = {}  # error index -> the names its suggestions bind
    for i, d in enumerate(errors):
        if (d.code_str or "") not in IMPORT_CODES | TRAIT_CODES:
            continue
        for f, at, path, name in _bound(d):
            answered.setdefault(i, set()).add(name)
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
        if read is not None and not any(m.startswith("self=") for m in members):
            best = _file_module(best, covered, f, read, crate_files)
        listed = _ordered(["self" if m.startswith("self=") else m for m in members], f, read, crate_files)
        at = min(a for n in covered for a, _ in names[n])
        lines = [f"use {best}::{{{', '.join(listed)}}};\n"]
        lines += [f"use {names[n][0][1]};\n" for n in sorted(names) if n not in covered]
        edit = Edit(file=f, start=at, end=at, replacement="".join(lines))
        # rustc's suggestion for one name gains 0.1 per further error proposing it (`candidates_for`'s
        # votes); this item answers every error of every name it covers, so it counts them all alike
        votes = sum(1 for names_ in answered.values() if names_ & covered)
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
