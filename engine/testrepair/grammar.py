"""The mutation grammar of logic slips: from a syntax-tree site, the edits a one-token mistake makes.

Repair reads it forwards (from the buggy code, the edits that may restore it); the semantic gym reads
it as mistakes (`slips=True`: only the alternatives a person plausibly types, such as `<` for `<=`,
not every permutation). Every edit that the gym makes has an edit here that undoes it exactly, when
the slip sits where a site is (`!x` dropped from an `if` is restored by `cond`; from elsewhere, not).

Pure: bytes in, Mutants out. Test code is never a site (`engine.syntax.sites`).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator

from engine.edits import Edit
from engine.syntax.sites import Site, sites
from engine.testrepair.types import Mutant

# Alternatives, the most plausible slip first.
_SWAP: dict[str, tuple[str, ...]] = {
    "<": ("<=", ">", ">=", "!=", "=="),
    "<=": ("<", ">=", ">", "==", "!="),
    ">": (">=", "<", "<=", "!=", "=="),
    ">=": (">", "<=", "<", "==", "!="),
    "==": ("!=", "<=", ">=", "<", ">"),
    "!=": ("==", "<", ">", "<=", ">="),
    "+": ("-",),
    "-": ("+",),
    "*": ("/",),
    "/": ("*", "%"),
    "%": ("/",),
    "&&": ("||",),
    "||": ("&&",),
    "&": ("|",),
    "|": ("&",),
    "^": ("|",),
    "<<": (">>",),
    ">>": ("<<",),
    "+=": ("-=",),
    "-=": ("+=",),
    "*=": ("/=",),
    "/=": ("*=",),
    "|=": ("&=",),
    "&=": ("|=",),
    "..": ("..=",),
    "..=": ("..",),
    "min": ("max",),
    "max": ("min",),
    "true": ("false",),
    "false": ("true",),
}
_SLIPS = 2  # relational slips in the gym: the neighbour and the mirror, not every permutation
_INT = re.compile(r"(\d[\d_]*)(.*)")
_SIMPLE_ARG = re.compile(r"&?(mut )?[A-Za-z_][\w.]*$|\d[\w.]*$")


def _edit(file: str, site: Site, replacement: str) -> Edit:
    return Edit(file=file, start=site.range.start, end=site.range.end, replacement=replacement)


def _unparen(text: str) -> str:
    t = text.strip()
    return t[1:-1] if t.startswith("(") and t.endswith(")") else t


def _alternatives(site: Site, source: bytes, slips: bool) -> Iterator[tuple[str, str]]:
    """(kind, replacement text) for one site."""
    text = site.range.text
    k = site.kind
    if k in ("relational", "arithmetic", "logical", "bitwise", "compound", "range", "minmax", "bool"):
        alts = _SWAP.get(text, ())
        for alt in alts[:_SLIPS] if slips and k == "relational" else alts:
            yield k, alt
    elif k == "int":
        m = _INT.fullmatch(text)
        if m is not None:
            n, suffix = int(m.group(1).replace("_", "")), m.group(2)
            yield "int+1", f"{n + 1}{suffix}"
            if n > 0:
                yield "int-1", f"{n - 1}{suffix}"
    elif k == "not":
        yield "drop-not", _unparen(site.parts[0].text) if site.parts else text
    elif k == "cond":
        simple = re.fullmatch(r"[\w.]+(\(\))?", text.strip()) is not None
        yield "add-not", f"!{text}" if simple else f"!({text})"
    elif k == "len":
        for sign in ("-", "+"):
            yield f"len{sign}1", f"({text} {sign} 1)" if site.wrap else f"{text} {sign} 1"
    elif k == "plus-one":
        if site.parts:
            yield "drop-plus-one", site.parts[0].text
    elif k == "bound" and not slips:
        for sign in ("+", "-"):
            yield f"bound{sign}1", f"{text} {sign} 1"
    elif k == "increment" and not slips:
        yield "drop-increment", ""
    elif k == "args":
        parts = site.parts
        for i in range(len(parts) - 1):
            a, b = parts[i], parts[i + 1]
            if a.text == b.text or not (_SIMPLE_ARG.match(a.text) and _SIMPLE_ARG.match(b.text)):
                continue
            base = site.range.start
            raw = source[site.range.start : site.range.end]
            sa, ea, sb, eb = a.start - base, a.end - base, b.start - base, b.end - base
            swapped = raw[:sa] + raw[sb:eb] + raw[ea:sb] + raw[sa:ea] + raw[eb:]
            yield "swap-args", swapped.decode("utf-8", "replace")


def mutants(
    source: bytes, file: str, lines: Iterable[int] | None = None, *, slips: bool = False
) -> list[Mutant]:
    """Every grammar edit on `lines` of `file` (all lines when None), in source order, then by
    plausibility. `slips=True` gives the gym's mistakes rather than repair's candidates."""
    want = set(lines) if lines is not None else None
    out: list[Mutant] = []
    seen: set[tuple[int, int, str]] = set()
    for site in sites(source):
        if want is not None and site.range.line not in want:
            continue
        for kind, repl in _alternatives(site, source, slips):
            key = (site.range.start, site.range.end, repl)
            if repl == site.range.text or key in seen:
                continue
            seen.add(key)
            out.append(
                Mutant(
                    kind=kind,
                    edit=_edit(file, site, repl),
                    line=site.range.line,
                    before=site.range.text,
                    after=repl,
                )
            )
    return out
