"""When two diagnostics are one error: the identity the counts, the lists and the sandbox share.

cargo with `--all-targets` compiles a library twice (lib and lib test) and rustc reports each error
once per target. The two copies sit at the same span under the same code, but the message may name
a type by two paths (`&Item` in one, `&inventory::Item` in the other), so message text alone
counts one mistake twice. The identity is the code and the primary span (file, byte range), plus
the message with module paths trimmed, so that two different errors rustc puts at one span (two
unmet bounds, each E0277) stay two.
"""

from __future__ import annotations

import re

from toolbelt.types import Diagnostic

# `a::b::Name` -> `Name`; `<T as Trait>::Out` keeps its `>::`, which is not a module path.
_PATH_PREFIX = re.compile(r"\b(?:[A-Za-z_][A-Za-z0-9_]*::)+(?=[A-Za-z_<])")


def trim_paths(message: str) -> str:
    """The message with module paths removed from the names it quotes."""
    return _PATH_PREFIX.sub("", message)


def identity(d: Diagnostic) -> tuple[str, str, str, int, int, str]:
    """(level, code, file, byte start, byte end, message without paths) of one diagnostic."""
    p = d.primary
    where = (p.file_name, p.byte_start, p.byte_end) if p is not None else ("", -1, -1)
    return (d.level, d.code_str or "", *where, trim_paths(d.message))


def distinct(diagnostics: tuple[Diagnostic, ...] | list[Diagnostic]) -> list[Diagnostic]:
    """Each error once, in the order cargo reported them (the first copy is kept)."""
    seen: set[tuple[str, str, str, int, int, str]] = set()
    out: list[Diagnostic] = []
    for d in diagnostics:
        key = identity(d)
        if key not in seen:
            seen.add(key)
            out.append(d)
    return out
