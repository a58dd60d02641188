"""Facts from compiler probes (`toolbelt.probe.type_of`), asked only in study mode or with `--probe`.

A probe is a cargo run in a scratch copy (slow on a cold cache), so the fast path never calls it.
When the probe module is missing or a probe fails, the explanation keeps the facts read from the
diagnostic text and says nothing more: a failed probe is not a fact.
"""

from __future__ import annotations

import importlib
import importlib.util
from pathlib import Path

from engine.explain.types import Location
from toolbelt.errors import ToolbeltError
from toolbelt.types import Diagnostic

MAX_PROBES = 1  # answered probes per story: each one is a cargo run


def probe_available() -> bool:
    try:
        return importlib.util.find_spec("toolbelt.probe") is not None
    except (ImportError, ValueError):
        return False


def probe_facts(
    crate_root: str | Path, diag: Diagnostic, root: Location, primary: Location | None = None
) -> list[str]:
    """Facts of the form "`x` is `T` here" for the expression at the root cause (and the primary span)."""
    if not probe_available():
        return []
    type_of = getattr(importlib.import_module("toolbelt.probe"), "type_of", None)
    if type_of is None:
        return []
    out: list[str] = []
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
        out.append(f"`{probe.expr}` is `{probe.type}` at {loc.file}:{loc.line} (compiler probe)")
    return out
