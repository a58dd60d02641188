"""Facts from compiler probes (`toolbelt.probe.type_of`), asked only in study mode or with `--probe`.

A probe is a cargo run in a scratch copy (slow on a cold cache), so the fast path never calls it.
When the probe module is missing or a probe fails, the explanation keeps the facts read from the
diagnostic text and says nothing more: a failed probe is not a fact.
"""

from __future__ import annotations

import importlib
import importlib.util
import re
from pathlib import Path

from engine.explain.types import Location
from engine.facts.parse import facts_of
from engine.syntax.coercion_sites import written_target
from engine.syntax.tree import compact
from toolbelt.errors import ToolbeltError
from toolbelt.types import Diagnostic

MAX_PROBES = 1  # answered probes per story: each one is a cargo run
UNINFERRED = frozenset({"E0282", "E0283", "E0284", "E0790"})  # "type annotations needed" and kin
_PRIMITIVES = frozenset("i8 i16 i32 i64 i128 isize u8 u16 u32 u64 u128 usize f32 f64 bool char str".split())


def _is_type(text: str) -> bool:
    """A type as rustc writes one; a probe's stand-in word (`future`, `closure`) is not a fact."""
    return bool(text) and (text in _PRIMITIVES or not text.isalpha() or not text.islower())


def probe_available() -> bool:
    try:
        return importlib.util.find_spec("toolbelt.probe") is not None
    except (ImportError, ValueError):
        return False


def probe_facts(
    crate_root: str | Path, diag: Diagnostic, root: Location, primary: Location | None = None
) -> list[str]:
    """Facts of the form "`x` is `T` here" for the expression at the root cause (and the primary span)."""
    if not probe_available() or (diag.code_str or "") in UNINFERRED:
        return []  # a probe cannot know a type rustc itself could not infer
    type_of = getattr(importlib.import_module("toolbelt.probe"), "type_of", None)
    if type_of is None:
        return []
    out: list[str] = []
    said = facts_of(diag)  # rustc's own found type at its primary span outranks a probe's answer
    places = [loc for loc in (root, primary) if loc is not None and loc.line > 0 and loc.file]
    seen: set[tuple[str, int, int]] = set()
    for loc in places:  # the root cause first; the primary span when no expression is there
        if len(out) >= MAX_PROBES:
            break
        key = (loc.file, loc.line, loc.column)
        if key in seen:
            continue
        seen.add(key)
        try:
            probe = type_of(crate_root, loc.file, loc.line, loc.column)
        except (ToolbeltError, OSError, ValueError):
            continue
        at_primary = said.primary is not None and (said.primary.line, said.primary.column) == (
            loc.line,
            loc.column,
        )
        if not _is_type(probe.type) or (at_primary and said.found and probe.type != said.found):
            continue  # not a type, or it contradicts what rustc said of the same expression
        if probe.type == "()" and "()" not in (said.expected or "") + (said.found or ""):
            continue  # the probe asks "is it `()`?": no error there may mean "unknown", not "unit"
        if restates(probe.expr, probe.type):
            continue  # `Token::Ident(name)` is `Token`: the code says so itself
        if _LITERAL.fullmatch(probe.expr.strip()) and not (said.expected or said.found):
            continue  # `0` is `usize` in a range a lint is about: a literal's type is news in a type error only
        target = _written_target(Path(crate_root), loc, probe.expr)
        if target is not None and compact(target) != compact(probe.type):
            out.append(
                f"`{probe.expr}` on its own is `{probe.type}` at {loc.file}:{loc.line} (compiler probe); "
                f"where it stands, the written `{target}` is expected"
            )
            continue
        out.append(f"`{probe.expr}` is `{probe.type}` at {loc.file}:{loc.line} (compiler probe)")
    return out


# a number, string, char or bool literal, without a suffix that already names its type
_LITERAL = re.compile(r"-?\d[\d_]*(?:\.[\d_]+)?|\"[^\"]*\"|'.'|true|false")
_PATH_HEAD = re.compile(r"\s*((?:[A-Za-z_]\w*::)*[A-Za-z_]\w*)")


def restates(expr: str, ty: str) -> bool:
    """Whether "`expr` is `ty`" says only what the code already writes: the type, with no generic
    argument the probe could add, is named in the path the expression starts with (a variant's
    enum, a struct literal's struct, `Type::new`). Such a line reads as a fact and teaches nothing."""
    m = _PATH_HEAD.match(expr)
    if m is None or "<" in ty or "&" in ty:
        return False
    return ty.split("::")[-1].strip() in m.group(1).split("::")


def _written_target(crate_root: Path, loc: Location, expr: str) -> str | None:
    """The written type of the coercion site (a returned value, a typed `let`) the probed expression
    stands in, if any: a probe types the expression alone, so in such a place its answer is not the
    type the value has there (`Some(&lower)` is `Option<&String>`, returned as `Option<&str>`)."""
    try:
        source = (crate_root / loc.file).read_bytes()
    except OSError:
        return None
    lines = source.split(b"\n")
    if not expr or not 0 < loc.line <= len(lines):
        return None
    line_start = sum(len(ln) + 1 for ln in lines[: loc.line - 1])
    col = len(lines[loc.line - 1].decode("utf-8", "replace")[: max(loc.column - 1, 0)].encode("utf-8"))
    first = expr.split("\n")[0].encode("utf-8")
    starts = [i for i in range(len(lines[loc.line - 1])) if lines[loc.line - 1].startswith(first, i)]
    if not starts:
        return None
    at = min(starts, key=lambda i: abs(i - col))  # the occurrence nearest the probed column
    return written_target(source, line_start + at, expr)
