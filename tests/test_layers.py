"""Layer rules, checked in a fresh interpreter: the light packages never load JAX or Textual."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

LIGHT = [
    "toolbelt",
    "toolbelt.types",
    "toolbelt.process",
    "diary",
    "modes",
    "engine",
    "engine.diagindex",
    "engine.repair.search",
    "engine.memory.store",
    "engine.memory.priors",
    "diary.payloads",
    "rusta_tui.cli.memory",
    "rusta_tui.cli.main",
]


@pytest.mark.parametrize("module", LIGHT)
def test_light_modules_do_not_import_ml_or_ui(module: str) -> None:
    code = (
        f"import importlib, sys; importlib.import_module({module!r}); "
        "heavy = sorted(m for m in ('jax', 'flax', 'optax', 'orbax', 'textual') if m in sys.modules); "
        "print(','.join(heavy))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "", f"{module} pulled in {out.stdout.strip()}"


ROOT = Path(__file__).resolve().parent.parent
# package -> top-level packages it may never import, lazily inside a function included
FORBIDDEN = {
    "engine": {"rusta_tui", "bench", "textual"},
    "modes": {"rusta_tui", "bench", "textual", "jax", "flax", "optax", "orbax"},
    "toolbelt": {
        "rusta_tui",
        "bench",
        "engine",
        "modes",
        "textual",
        "jax",
        "flax",
        "optax",
        "orbax",
        "numpy",
    },
    "diary": {"rusta_tui", "bench", "engine", "modes", "textual", "jax", "flax", "optax", "orbax", "numpy"},
}


def _imported_tops(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(), filename=str(path))
    tops: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            tops |= {a.name.split(".")[0] for a in node.names}
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            tops.add(node.module.split(".")[0])
    return tops


@pytest.mark.parametrize("package", sorted(FORBIDDEN))
def test_no_module_imports_across_the_layers_even_lazily(package: str) -> None:
    """The import-time check above sees only what loads at import; a function-level import of the
    app from the engine, or of numpy from the toolbelt, would slip past it until that path runs."""
    bad = [
        f"{path.relative_to(ROOT)} imports {top}"
        for path in sorted((ROOT / package).rglob("*.py"))
        for top in sorted(_imported_tops(path) & FORBIDDEN[package])
    ]
    assert bad == []


def test_rusta_help_lists_commands() -> None:
    out = subprocess.run(
        [sys.executable, "-m", "rusta_tui.cli.main", "--help"], capture_output=True, text=True
    )
    assert out.returncode == 0
    assert "usage: rusta" in out.stdout
