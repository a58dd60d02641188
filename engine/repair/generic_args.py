"""A generic type written with too few arguments (E0107: `LruCache<String>` for `LruCache<K, V>`).

rustc's help adds the missing parameters by their declared names (`LruCache<String, V>`), which
compiles only where `V` is in scope, and rarely is. The arguments the program means are usually
written elsewhere in the crate: another use of the same type with every argument, whose leading
arguments agree with the ones given here (`let c: LruCache<String, usize>`). Each such use gives a
candidate with rustc's edit, the parameter names replaced by that use's arguments. Pure; the sandbox
says which one fits.
"""

from __future__ import annotations

import re

from engine.edits import suggestions
from engine.repair.containers import split_top
from engine.repair.template_kit import Reader, _make, _span_text
from engine.repair.types import Candidate, Edit
from toolbelt.types import Diagnostic

FAMILY = "generic-args-from-use"
_DECLARED = re.compile(r"with \d+ generic parameters?: (?P<names>`\w+`(?:, `\w+`)*)")
_TAKES = re.compile(
    r"takes (?P<want>\d+) generic arguments? but (?P<got>\d+) generic arguments? (?:was|were) supplied"
)


def _args_after(text: str, at: int) -> tuple[list[str], int] | None:
    """The generic arguments of the `<...>` that opens at `at` (after spaces), and where it ends."""
    i = at
    while i < len(text) and text[i] in " \t":
        i += 1
    if i >= len(text) or text[i] != "<":
        return None
    depth = 0
    for j in range(i, len(text)):
        depth += {"<": 1, ">": -1}.get(text[j], 0)
        if depth == 0:
            return split_top(text[i + 1 : j]), j + 1
    return None


def _norm(arg: str) -> str:
    return re.sub(r"\s+", "", arg)


def uses_elsewhere(name: str, want: int, given: list[str], sources: list[str]) -> list[list[str]]:
    """Every full-arity use `name<…>` whose first arguments are `given`, distinct, in source order."""
    out: list[list[str]] = []
    for text in sources:
        for m in re.finditer(rf"\b{re.escape(name)}\b", text):
            found = _args_after(text, m.end())
            if found is None or len(found[0]) != want:
                continue
            args = found[0]
            if [_norm(a) for a in args[: len(given)]] == [_norm(g) for g in given] and args not in out:
                out.append(args)
    return out


def args_from_other_uses(d: Diagnostic, read: Reader, crate_files: tuple[str, ...]) -> list[Candidate]:
    prim, takes = d.primary, _TAKES.search(d.message)
    declared = next((m for c in d.children if (m := _DECLARED.search(c.message))), None)
    if prim is None or takes is None or declared is None:
        return []
    names = re.findall(r"`(\w+)`", declared["names"])
    want, got = int(takes["want"]), int(takes["got"])
    source = read(prim.file_name)
    name = _span_text(prim, read)
    if source is None or not name or len(names) != want or got >= want:
        return []
    text = source.decode("utf-8", "replace")
    here = _args_after(text, len(source[: prim.byte_end].decode("utf-8", "replace")))
    given = here[0] if here is not None else []
    if len(given) != got:
        return []
    sources = [t.decode("utf-8", "replace") for f in crate_files if (t := read(f)) is not None]
    missing = names[got:]
    out = []
    for args in uses_elsewhere(name.strip(), want, given, sources)[:3]:
        values = dict(zip(missing, args[got:], strict=True))
        for s in suggestions(d):
            edits = tuple(
                Edit(file=e.file, start=e.start, end=e.end, replacement=_named(e.replacement, values))
                for e in s.edits
            )
            if edits and edits != s.edits:
                shown = ", ".join(args[got:])
                out.append(
                    _make(
                        list(edits),
                        f"add `{shown}`, as the crate's other uses of `{name}` write it",
                        FAMILY,
                        d.code_str or "E0107",
                        0.85,
                    )
                )
    return out


def _named(text: str, values: dict[str, str]) -> str:
    """`text` with each parameter name in `values` replaced by its argument."""
    return re.sub(r"\b\w+\b", lambda m: values.get(m[0], m[0]), text)
