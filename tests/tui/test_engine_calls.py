"""The app calls the engine directly: every name it imports exists, lazy imports included.

The app imports the engine's modules inside the workers that need them (start-up time), so a
renamed engine function would otherwise surface only when a user pressed the key. This test reads
every `from X import Y` in rusta_tui, at any depth and under TYPE_CHECKING too, and resolves it:
a rename fails here, not in the user's session.
"""

from __future__ import annotations

import ast
import importlib
from pathlib import Path

import rusta_tui

PACKAGE = Path(rusta_tui.__file__).parent
OURS = ("engine", "diary", "toolbelt", "modes", "rusta_tui")


def imports() -> list[tuple[str, str, str]]:
    """(file, module, name) for every absolute `from module import name` of our packages."""
    out = []
    for path in sorted(PACKAGE.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                if node.module.split(".")[0] in OURS:
                    rel = path.relative_to(PACKAGE.parent).as_posix()
                    out += [(rel, node.module, a.name) for a in node.names]
    return out


def test_the_scan_sees_the_lazy_imports() -> None:
    found = {(m, n) for _, m, n in imports()}
    assert ("engine.repair.flow", "Proposal") in found  # under TYPE_CHECKING
    assert ("engine.repair.targets", "gate_key") in found  # inside a function
    assert ("engine.patching.api", "validate") in found  # inside a worker


def test_every_imported_engine_name_exists() -> None:
    missing = []
    for where, module, name in imports():
        mod = importlib.import_module(module)
        if hasattr(mod, name):
            continue
        try:
            importlib.import_module(f"{module}.{name}")  # a submodule: `from engine.repair import flow`
        except ModuleNotFoundError:
            missing.append(f"{where}: from {module} import {name}")
    assert not missing, "\n".join(missing)


def test_no_adapter_layer_between_the_app_and_the_engine() -> None:
    """No importlib lookups and no duck typing of the engine's answers in the app's modules."""
    assert not (PACKAGE / "backends.py").exists()
    for path in PACKAGE.rglob("*.py"):
        if "cli" in path.relative_to(PACKAGE).parts:
            continue  # the CLI loads its subcommands by name, which is its own business
        text = path.read_text(encoding="utf-8")
        assert "importlib" not in text, path
        assert "Unavailable" not in text, path
