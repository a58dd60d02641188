"""`rusta check`, `doctor` and `demo` stay fast: their modules never load JAX, Flax or Textual."""

from __future__ import annotations

import subprocess
import sys

import pytest

MODULES = [
    "toolbelt.cargo_run",
    "toolbelt.doctor",
    "toolbelt.demo",
    "toolbelt.isolation",
    "toolbelt.toolchain",
    "rusta_tui.cli.check",
    "rusta_tui.cli.check_render",
    "toolbelt.report_json",
    "rusta_tui.cli.doctor",
    "rusta_tui.cli.demo",
]


@pytest.mark.parametrize("module", MODULES)
def test_no_ml_no_textual(module: str) -> None:
    code = (
        f"import importlib, sys; importlib.import_module({module!r}); "
        "print(','.join(sorted(m for m in ('jax', 'flax', 'optax', 'orbax', 'textual', 'engine') if m in sys.modules)))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "", f"{module} pulled in {out.stdout.strip()}"


def test_json_check_path_does_not_load_rich() -> None:
    code = "import sys, rusta_tui.cli.check, toolbelt.cargo_run, toolbelt.report_json; print('rich' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"
