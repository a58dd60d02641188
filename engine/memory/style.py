"""The repo's style, mined from its code and config, and candidates rendered in it.

Mining counts habits in the crate's own `.rs` files (not `target/`, not `.rusta/`): how a `&str`
becomes a `String`, `?` against `.expect`/`.unwrap`, blank-line groups among `use` lines, `impl
Trait` arguments against generic bounds, the error crate in Cargo.toml, and the keys set in
`rustfmt.toml`/`.rustfmt.toml`/`clippy.toml`. A habit is recorded only with a clear majority
(`MAJORITY` of at least `MIN_SEEN` uses), so a repo with no habit gets no rewrite.

Rendering changes a candidate's inserted text only, never the span it edits, so the diff shows
the same change in the repo's words; the compiler still validates the rendered candidate. Only
`.to_owned()` and `String::from` are rendered to: a repo's `"x".into()` is recorded, but `.into()`
leans on type inference and is not written into a fix.
"""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

import msgspec

from engine.edits import Edit
from engine.memory.types import StyleFact
from engine.repair.types import Candidate

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
_IMPL_ARG = re.compile(rb"fn\s+\w+\s*(?:<[^>]*>)?\s*\([^)]*:\s*impl\s+\w")
_GENERIC_BOUND = re.compile(rb"fn\s+\w+\s*<\s*\w+\s*:\s*\w")
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
    impl = {"impl Trait": 0, "generics": 0}
    for p in files:
        try:
            text = p.read_bytes()[:MAX_BYTES]
        except OSError:
            continue
        for k, rx in _STR_TO_STRING.items():
            strs[k] += len(rx.findall(text))
        for k, rx in _ERRORS.items():
            errs[k] += len(rx.findall(text))
        g, one = _import_groups(text)
        groups["grouped"] += g
        groups["one block"] += one
        impl["impl Trait"] += len(_IMPL_ARG.findall(text))
        impl["generics"] += len(_GENERIC_BOUND.findall(text))
    where = f"{len(files)} .rs file(s)"
    out: list[StyleFact] = []
    for name, counts in (
        ("string-from-str", strs),
        ("error-handling", errs),
        ("import-groups", groups),
        ("impl-trait", impl),
    ):
        win = _winner(counts)
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


def _error_crate(root: Path) -> str:
    try:
        data = tomllib.loads((root / "Cargo.toml").read_text(errors="replace"))
    except (OSError, tomllib.TOMLDecodeError):
        return ""
    deps = {**data.get("dependencies", {}), **data.get("dev-dependencies", {})}
    found = [c for c in ("anyhow", "thiserror", "eyre", "color-eyre", "snafu") if c in deps]
    return " + ".join(found)


def fact(style: tuple[StyleFact, ...], name: str) -> StyleFact | None:
    return next((s for s in style if s.name == name), None)


def render(c: Candidate, style: tuple[StyleFact, ...], expr: tuple[str, int, int] | None = None) -> Candidate:
    """`c` with its `&str` to `String` conversion written the repo's way.

    `expr` is (file, start, end) of the expression the diagnostic points at, which a `String::from`
    rendering wraps; without it only the method forms are rewritten. The candidate keeps its id
    and family (it is the same fix), its description names the rendering.
    """
    want = fact(style, "string-from-str")
    if want is None or want.value not in (".to_owned()", "String::from"):
        return c  # `.into()` leans on inference (a closure may not fix its type): not a rendering
    edits: list[Edit] = []
    changed = False
    for e in c.edits:
        if e.replacement != ".to_string()" or e.start != e.end:
            edits.append(e)
            continue
        if want.value == ".to_owned()":
            edits.append(msgspec.structs.replace(e, replacement=want.value))
            changed = True
        elif want.value == "String::from" and expr is not None and expr[0] == e.file and expr[2] == e.start:
            edits.append(Edit(file=e.file, start=expr[1], end=expr[1], replacement="String::from("))
            edits.append(msgspec.structs.replace(e, replacement=")"))
            changed = True
        else:
            edits.append(e)
    if not changed:
        return c
    return msgspec.structs.replace(
        c,
        edits=tuple(sorted(edits, key=lambda e: (e.file, e.start, e.end))),
        description=c.description.replace("to_string", want.value.strip(".()")) + " (in this repo's style)",
    )
