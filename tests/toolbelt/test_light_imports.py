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


def test_check_start_up_loads_only_what_a_check_needs(tmp_path) -> None:
    """`rusta check --json` on a crate that builds, run again: the failure sentences (offline deps,
    build scripts), libtest's parser and the crash path's traceback are not imported; each costs
    start-up, the one cost Rusta adds to every check."""
    crate = tmp_path / "ok"
    (crate / "src").mkdir(parents=True)
    (crate / "Cargo.toml").write_text('[package]\nname = "ok"\nversion = "0.1.0"\nedition = "2021"\n')
    (crate / "src" / "lib.rs").write_text("pub fn f() -> u32 { 1 }\n")
    code = (
        "import sys; from rusta_tui.cli.main import main; rc = main(['check', '--json', sys.argv[1]]); "
        "print(rc, ' '.join(sorted(sys.modules)), file=sys.stderr)"
    )
    env = dict(__import__("os").environ, RUSTA_CACHE_DIR=str(tmp_path / "cache"))
    for _ in range(2):  # the second run is the steady state: the toolchain versions are cached
        out = subprocess.run(
            [sys.executable, "-c", code, str(crate)], capture_output=True, text=True, env=env
        )
    rc, _, loaded = out.stderr.strip().splitlines()[-1].partition(" ")
    assert rc == "0", out.stderr
    unneeded = {"toolbelt.offline_deps", "toolbelt.build_script", "toolbelt.testparse", "traceback", "rich"}
    # a lone crate with no settings file and no toolchain pin: no TOML is parsed (cargo parses the
    # manifest; Rusta reads it only when cargo fails, to say what is broken)
    unneeded.add("tomllib")
    assert unneeded.isdisjoint(loaded.split()), unneeded & set(loaded.split())
