"""The words for a lint story that spans several places: the count, the first places, and for
`unexpected_cfgs` the one declaration that clears them all, taken from rustc's own help text.

Pure string work over Groups and Explanations; `api` calls it after the generic or KB text is built.
"""

from __future__ import annotations

import re
from pathlib import Path

import msgspec

from engine.explain.grouping import CFG_LINT, Group
from engine.explain.types import Choice, Explanation
from toolbelt.types import Diagnostic

SHOWN_PLACES = 3
_SPEC_RE = re.compile(r"check-cfg\s*=\s*\[([^\]]*)\]")
_LINT_LINE_RE = re.compile(r"unexpected_cfgs\s*=\s*\{[^}]*\}")
_BUILD_RS_RE = re.compile(r"`(println!\(\"cargo::rustc-check-cfg=[^`]*\);)`")


def _place(d: Diagnostic, column: bool = False) -> str:
    p = d.primary
    return (f"{p.file_name}:{p.line_start}" + (f":{p.column_start}" if column else "")) if p else "?"


def places(g: Group, shown: int = SHOWN_PLACES) -> str:
    """`src/lib.rs:3, src/lib.rs:8, src/lib.rs:19 and 2 more`: the first places in rustc's order,
    with their columns when two share a line (`src/lib.rs:2:15, src/lib.rs:2:29`, not one line twice)."""
    lines = [_place(m.diag) for m in g.members]
    all_places = [_place(m.diag, column=lines.count(ln) > 1) for m, ln in zip(g.members, lines, strict=True)]
    head = ", ".join(all_places[:shown])
    rest = len(all_places) - shown
    return f"{head} and {rest} more" if rest > 0 else head


def summary(g: Group, base: str, *, from_kb: bool) -> str:
    """One line for pair mode: what, how many places, the first few."""
    n = len(g.members)
    if from_kb:
        return f"{n} places: {places(g)}. {base}"
    msg = g.lead.diag.message.strip()
    if g.kind == "cfg":
        return f"{msg[:1].upper()}{msg[1:]} in {n} places: {places(g)}."
    return f"{n} places report `{g.lead.diag.code_str}`: {places(g)}. First: {msg}."


def fact(g: Group) -> str:
    """Every place, so study mode and the DevLog keep the whole list."""
    n = len(g.members)
    every = ", ".join(_place(m.diag) for m in g.members)
    if g.kind == "cfg":
        return f"{n} places use this undeclared cfg ({every}); declaring it once clears all of them."
    return f"{n} places report this lint ({every}); the same change fixes each."


def _helps(diag: Diagnostic) -> list[str]:
    return [c.message for c in diag.children if c.level == "help" and c.message]


def cfg_spec(diag: Diagnostic) -> str | None:
    """`'cfg(fast_path)'`: what rustc's Cargo.toml help puts inside `check-cfg = [...]`."""
    for h in _helps(diag):
        m = _SPEC_RE.search(h)
        if m:
            return m.group(1).strip()
    return None


def _cfg_name(diag: Diagnostic) -> str | None:
    spec = cfg_spec(diag) or ""
    m = re.search(r"cfg\(([A-Za-z_][A-Za-z0-9_]*)", spec)
    return m.group(1) if m else None


def _build_rs_sets(crate_root: str | Path, name: str | None) -> bool:
    """Whether the crate's build.rs already emits `rustc-cfg=NAME`: then build.rs is the place to declare it."""
    try:
        text = (Path(crate_root) / "build.rs").read_text(encoding="utf-8", errors="replace")
    except OSError:
        return False
    return name is not None and re.search(rf"rustc-cfg={re.escape(name)}\b", text) is not None


def cfg_options(diag: Diagnostic, count: int, crate_root: str | Path) -> tuple[Choice, ...]:
    """The ways rustc's help offers, best first: build.rs when the build script sets this cfg itself,
    otherwise Cargo.toml; either way one edit declares the cfg for every place."""
    clears = {1: "one edit clears it", 2: "one edit clears both places"}.get(
        count, f"one edit clears all {count} places"
    )
    has_build_rs = (Path(crate_root) / "build.rs").is_file()
    sets = _build_rs_sets(crate_root, _cfg_name(diag))
    opts: list[Choice] = []
    for h in _helps(diag):
        line = _LINT_LINE_RE.search(h)
        build = _BUILD_RS_RE.search(h)
        if "Cargo.toml" in h and line:
            opts.append(
                Choice(
                    name="declare it in Cargo.toml",
                    how=f"Under `[lints.rust]` in Cargo.toml: `{line.group(0)}` (rustc's help); {clears}.",
                    tradeoff="None at runtime; Cargo checks cfg names from 1.80 on, older Cargo at most "
                    "warns about the key.",
                )
            )
        elif "build.rs" in h and build:
            where = "the crate's build.rs" if has_build_rs else "a new build.rs (the crate has none)"
            why = (
                "build.rs already sets this cfg, so its declaration belongs beside that line"
                if sets
                else "only worth it when build.rs sets this cfg; a Cargo.toml line is simpler"
            )
            opts.append(
                Choice(
                    name="declare it in build.rs",
                    how=f"Add `{build.group(1)}` to the top of `main` in {where} (rustc's help); {clears}.",
                    tradeoff=f"{why[:1].upper()}{why[1:]}. `cargo::` needs Cargo 1.77; for an older MSRV write "
                    "`cargo:rustc-check-cfg=...`.",
                )
            )
        elif "Cargo feature" in h:
            opts.append(
                Choice(
                    name="use a Cargo feature",
                    how='Replace the cfg with a feature in `[features]` and `cfg(feature = "...")` (rustc\'s help).',
                    tradeoff="Right when the cfg is a choice users make; wrong when a build script detects it.",
                )
            )
    first = "declare it in build.rs" if sets else "declare it in Cargo.toml"
    order = (first, "declare it in Cargo.toml", "declare it in build.rs", "use a Cargo feature")
    return tuple(sorted(opts, key=lambda o: order.index(o.name)))


def with_combined_cfg_fact(stories: tuple[Explanation, ...]) -> tuple[Explanation, ...]:
    """When several cfgs are undeclared, each cfg story says the single Cargo.toml line for all of them."""
    specs: list[str] = []
    for e in stories:
        if e.code != CFG_LINT:
            continue
        for d in e.diagnostics:
            s = cfg_spec(d)
            if s and s not in specs:
                specs.append(s)
    if len(specs) < 2:
        return stories
    line = f'unexpected_cfgs = {{ level = "warn", check-cfg = [{", ".join(specs)}] }}'
    note = f"The crate uses {len(specs)} undeclared cfgs; one line under `[lints.rust]` declares them all: `{line}`."
    return tuple(
        msgspec.structs.replace(e, facts=(*e.facts, note)) if e.code == CFG_LINT else e for e in stories
    )
