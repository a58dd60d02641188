"""The repo's style, mined from its code and config: each habit with the counts it rests on.

Mining counts habits in the crate's own `.rs` files (not `target/`, not `.rusta/`): how a `&str`
becomes a `String`, `?` against `.expect`/`.unwrap` (in library code only: tests unwrap by habit), blank-line groups among `use` lines, `impl
Trait` arguments against generic bounds, `Self` against the type's own name inside its `impl`, a
closure that only calls (`|s| s.to_string()`) against a path (`ToString::to_string`), the error
crate in Cargo.toml, and the keys set in `rustfmt.toml`/`.rustfmt.toml`/`clippy.toml`. A habit is
recorded only with a clear majority (`MAJORITY` of at least `MIN_SEEN` uses), so a repo with no
habit gets no rewrite. `engine.memory.render` writes candidates in these habits.
"""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

from engine.memory.types import StyleFact

MIN_SEEN = 3
MAJORITY = 0.6
MAX_FILES = 400
MAX_BYTES = 256 * 1024

_STR_TO_STRING = {
    ".to_owned()": re.compile(rb'"(?:[^"\\\n]|\\.)*"\s*\.to_owned\(\)'),
    ".to_string()": re.compile(rb'"(?:[^"\\\n]|\\.)*"\s*\.to_string\(\)'),
    "String::from": re.compile(rb'String::from\(\s*"'),
    ".into()": re.compile(rb'"(?:[^"\\\n]|\\.)*"\s*\.into\(\)'),
}
_ERRORS = {
    "?": re.compile(rb"\)\?|\w\?[;.)]"),
    ".expect(": re.compile(rb"\.expect\("),
    ".unwrap()": re.compile(rb"\.unwrap\(\)"),
}
_ADAPTERS = (
    rb"\.(?:map|and_then|filter_map|flat_map|map_err|for_each|filter|any|all|unwrap_or_else|ok_or_else)\(\s*"
)
_CLOSURES = {
    # a closure that only hands its argument on: `|s| s.to_string()`, `|e| Error::Io(e)`
    "closure": re.compile(_ADAPTERS + rb"\|(\w+)\|\s*(?:\1\.\w+\(\)|[\w:]+\(\s*\1\s*\))\s*\)"),
    # the same as a path: `ToString::to_string`, `Error::Io`, `str::trim`
    "path": re.compile(_ADAPTERS + rb"(?:[A-Za-z_]\w*::)+[A-Za-z_]\w*\s*\)"),
}
_FORCED_SELF = rb"(?!(?:Item|Output|Err|Error|Target|Owned|IntoIter)\b)"  # associated types: no choice
_IMPL_ARG = re.compile(rb"fn\s+\w+\s*(?:<[^>]*>)?\s*\([^)]*:\s*impl\s+\w")
_GENERIC_BOUND = re.compile(rb"fn\s+\w+\s*<\s*\w+\s*:\s*\w")
_WHERE_BOUND = re.compile(rb"fn\s+\w+\s*<[^>{;]*>\s*\([^{;]*?\bwhere\s+\w+\s*:", re.S)
_CONFIGS = ("rustfmt.toml", ".rustfmt.toml", "clippy.toml", ".clippy.toml")


def rust_files(root: Path) -> list[Path]:
    skip = {"target", ".rusta", ".git"}
    out = []
    for p in sorted(root.rglob("*.rs")):
        if skip.intersection(p.relative_to(root).parts):
            continue
        out.append(p)
        if len(out) >= MAX_FILES:
            break
    return out


def _winner(counts: dict[str, int]) -> str | None:
    total = sum(counts.values())
    if total < MIN_SEEN:
        return None
    best = max(counts, key=lambda k: (counts[k], k))
    return best if counts[best] / total >= MAJORITY else None


def _bounds_winner(counts: dict[str, int]) -> str | None:
    """`impl Trait` against named parameters first (bounds inline or in `where` are one side of
    that choice); then, among named ones, where the bounds go."""
    named = counts["generics"] + counts["where clauses"]
    side = _winner({"impl Trait": counts["impl Trait"], "generics": named})
    if side != "generics":
        return side
    return "where clauses" if counts["where clauses"] > counts["generics"] else "generics"


def _import_groups(text: bytes) -> tuple[int, int]:
    """(files whose top-level `use` block is split by blank lines, files with one solid block)."""
    lines = text.splitlines()
    uses = [i for i, ln in enumerate(lines) if ln.startswith(b"use ")]
    if len(uses) < 3:
        return 0, 0
    gaps = any(not lines[i].strip() for i in range(uses[0], uses[-1]))
    return (1, 0) if gaps else (0, 1)


def mine(root: str | Path) -> tuple[StyleFact, ...]:
    """The habits the crate at `root` shows clearly, each with the counts it rests on."""
    root = Path(root)
    files = rust_files(root)
    strs = dict.fromkeys(_STR_TO_STRING, 0)
    errs = dict.fromkeys(_ERRORS, 0)
    groups = {"grouped": 0, "one block": 0}
    impl = {"impl Trait": 0, "generics": 0, "where clauses": 0}
    selfs = {"Self": 0, "type name": 0}
    closures = dict.fromkeys(_CLOSURES, 0)
    for p in files:
        try:
            text = p.read_bytes()[:MAX_BYTES]
        except OSError:
            continue
        for k, rx in _STR_TO_STRING.items():
            strs[k] += len(rx.findall(text))
        library = _library_code(p.relative_to(root), text)
        for k, rx in _ERRORS.items():
            errs[k] += len(rx.findall(library))
        g, one = _import_groups(text)
        groups["grouped"] += g
        groups["one block"] += one
        impl["impl Trait"] += len(_IMPL_ARG.findall(text))
        impl["generics"] += len(_GENERIC_BOUND.findall(text))
        impl["where clauses"] += len(_WHERE_BOUND.findall(text))
        for k, n in _self_uses(text).items():
            selfs[k] += n
        for k, rx in _CLOSURES.items():
            closures[k] += len(rx.findall(text))
    where = f"{len(files)} .rs file(s)"
    out: list[StyleFact] = []
    for name, counts in (
        ("string-from-str", strs),
        ("error-handling", errs),
        ("import-groups", groups),
        ("impl-trait", impl),
        ("self-type", selfs),
        ("closure-style", closures),
    ):
        win = _bounds_winner(counts) if name == "impl-trait" else _winner(counts)
        if win is not None:
            out.append(
                StyleFact(
                    name=name,  # type: ignore[arg-type]
                    value=win,
                    counts=tuple(sorted(counts.items(), key=lambda kv: -kv[1])),
                    source=where,
                )
            )
    crate = _error_crate(root)
    if crate:
        out.append(StyleFact(name="error-crate", value=crate, source="Cargo.toml"))
    for cfg in _CONFIGS:
        path = root / cfg
        if path.is_file():
            try:
                keys = tomllib.loads(path.read_text(errors="replace"))
            except (tomllib.TOMLDecodeError, OSError):
                continue
            flat = ", ".join(f"{k} = {v!r}" for k, v in sorted(keys.items()) if not isinstance(v, dict))
            out.append(StyleFact(name="config", value=f"{cfg}: {flat or 'empty'}", source=cfg))
    return tuple(out)


_TEST_DIRS = ("tests", "benches", "examples")


def _library_code(rel: Path, text: bytes) -> bytes:
    """`text` with its test code blanked out (`#[cfg(test)]` items, `#[test]` fns), b"" for a file
    under tests/, benches/ or examples/. The general mistake it avoids: learning how a crate passes
    errors on from its tests, where `.unwrap()` is the idiom (a panic is the failure report), and
    then writing that `.unwrap()` into library code that passes errors on with `?`."""
    if rel.parts and rel.parts[0] in _TEST_DIRS:
        return b""
    from engine.syntax.program import in_test_code
    from engine.syntax.tree import parse

    out = bytearray(text)
    stack = [parse(text).root_node]
    while stack:
        n = stack.pop()
        if n.type in ("mod_item", "function_item", "impl_item", "trait_item") and in_test_code(n):
            out[n.start_byte : n.end_byte] = b" " * (n.end_byte - n.start_byte)
            continue
        stack.extend(n.named_children)
    return bytes(out)


def _self_uses(text: bytes) -> dict[str, int]:
    """Inside each `impl Name` (generic or not): `Self::`, `Self {`, `Self(`, `-> Self` against the
    same with `Name`. Associated types (`Self::Item`) are not a choice and are not counted."""
    out = {"Self": 0, "type name": 0}
    if b"impl" not in text:
        return out
    from engine.syntax.tree import parse

    for node in parse(text).root_node.children:
        ty, body = node.child_by_field_name("type"), node.child_by_field_name("body")
        if node.type != "impl_item" or ty is None or body is None:
            continue
        base = ty.child_by_field_name("type") if ty.type == "generic_type" else ty
        if base is None or base.type != "type_identifier":
            continue
        name = re.escape(text[base.start_byte : base.end_byte])
        inner = text[body.start_byte : body.end_byte]
        out["Self"] += len(re.findall(rb"\bSelf(?:::" + _FORCED_SELF + rb"|\s*[{(])|->\s*Self\b", inner))
        named = rb"(?<![\w:])" + name + rb"(?:::|\s*[{(])|->\s*" + name + rb"\b"
        out["type name"] += len(re.findall(named, inner))
    return out


def _error_crate(root: Path) -> str:
    """The error crates the crate depends on, "anyhow + thiserror"; one only its tests use is
    marked "(dev)" (library code cannot name it)."""
    try:
        data = tomllib.loads((root / "Cargo.toml").read_text(errors="replace"))
    except (OSError, tomllib.TOMLDecodeError):
        return ""
    deps, dev = data.get("dependencies", {}), data.get("dev-dependencies", {})
    found = [c for c in ("anyhow", "thiserror", "eyre", "color-eyre", "snafu") if c in deps]
    found += [
        f"{c} (dev)"
        for c in ("anyhow", "thiserror", "eyre", "color-eyre", "snafu")
        if c in dev and c not in deps
    ]
    return " + ".join(found)


def fact(style: tuple[StyleFact, ...], name: str) -> StyleFact | None:
    return next((s for s in style if s.name == name), None)
