"""Layer rules, checked in a fresh interpreter: the light packages never load JAX or Textual."""

from __future__ import annotations

import subprocess
import sys

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


def test_rusta_help_lists_commands() -> None:
    out = subprocess.run(
        [sys.executable, "-m", "rusta_tui.cli.main", "--help"], capture_output=True, text=True
    )
    assert out.returncode == 0
    assert "usage: rusta" in out.stdout
