"""Set-up as a new user meets it: what `make run` installs, how to call `rusta`, exit codes in --help."""

from __future__ import annotations

import contextlib
import io
import os
import re
import shlex
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

from rusta_tui.cli import main as cli
from rusta_tui.cli.exitcodes import epilog

REPO = Path(__file__).resolve().parents[2]
TRAINING = ("jax", "flax", "optax", "orbax")

# Importing any of the training packages fails, as on a machine where `make run` installed the app.
BLOCK_TRAINING = """
import sys
class _NoTraining:
    def find_spec(self, name, path=None, target=None):
        if name.split(".")[0] in {names!r}:
            raise ImportError(f"{{name}} is not installed (the train extra)")
        return None
sys.meta_path.insert(0, _NoTraining())
"""


def test_the_app_dependencies_leave_training_to_the_train_extra() -> None:
    project = tomllib.loads((REPO / "pyproject.toml").read_text())["project"]
    base = " ".join(project["dependencies"])
    assert not [t for t in TRAINING if t in base], base
    train = " ".join(project["optional-dependencies"]["train"])
    assert all(t in train for t in TRAINING), train


@pytest.mark.skipif(shutil.which("make") is None, reason="make is not installed")
def test_make_run_installs_the_app_and_make_test_the_extras() -> None:
    def recipe(target: str) -> str:
        out = subprocess.run(
            ["make", "-n", "-B", target], cwd=REPO, capture_output=True, text=True, timeout=30
        )
        assert out.returncode == 0, out.stderr
        return out.stdout

    run = recipe("run")
    assert "pip install -q -e .\n" in run and "[dev" not in run and "train" not in run
    assert 'echo "rusta: installing Rusta' in run and 'echo "rusta: opening' in run
    assert "pip install -q -e '.[dev,train]'" in recipe("test")


def test_the_app_and_lm_scoring_need_no_training_packages(tmp_path: Path) -> None:
    src = tmp_path / "lib.rs"
    src.write_text("pub fn add(a: u32, b: u32) -> u32 {\n    a + b\n}\n")
    code = BLOCK_TRAINING.format(names=TRAINING) + (
        "import rusta_tui.app, engine.explain.api, engine.patching.api, engine.loop.machine\n"
        "from rusta_tui.cli.main import main\n"
        f"sys.exit(main(['lm', 'bpb', {str(src)!r}]))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], cwd=REPO, capture_output=True, text=True, timeout=300)
    assert out.returncode == 0, out.stderr
    assert "bits" in out.stdout.lower() or "bpb" in out.stdout.lower(), out.stdout


@pytest.mark.parametrize("command", sorted(cli._available()))
def test_every_command_help_ends_with_its_exit_codes(command: str) -> None:
    buf = io.StringIO()
    with contextlib.redirect_stdout(buf), pytest.raises(SystemExit) as done:
        cli.main([command, "--help"])
    assert done.value.code == 0
    text = buf.getvalue()
    text, _, shown = text.rstrip().partition("\n\nExamples:\n")
    head, _, tail = re.split(r"(?i)(exit codes:\n)", text, maxsplit=1)[-3:]
    codes = [int(line.split()[0]) for line in tail.splitlines() if line.strip()[:1].isdigit()]
    assert codes and codes[0] == 0, text
    if epilog(command) in text:  # the shared section; a command may write its own instead (fix)
        assert 70 in codes and 130 in codes and tail.rstrip().endswith("left behind"), text
    lines = [line.split("  # ")[0].strip() for line in shown.splitlines()]
    assert len(lines) == 2 and all(line.startswith(("rusta", "git diff | rusta")) for line in lines), shown
    for line in lines:  # each example parses as this command, as a user would type it
        argv = shlex.split(line.split("| ", 1)[-1])[1:]
        chosen, argv = cli.route(argv, cli._available())
        assert chosen == command, line
        assert cli.build_parser(chosen).parse_args(argv).command == command, line


def test_an_internal_error_exits_70_not_refused(tmp_path: Path) -> None:
    """A bug (here: a subcommand whose run raises ZeroDivisionError) is 70, one line, no traceback."""
    code = (
        "import sys, rusta_tui.cli.history as h\n"
        "h.run = lambda args: 1 // 0\n"
        "from rusta_tui.cli.main import main\n"
        "sys.exit(main(['history']))\n"
    )
    env = {**os.environ, "RUSTA_CACHE_DIR": str(tmp_path)}
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60, env=env)
    assert out.returncode == 70, out.stderr
    assert out.stderr.startswith("rusta: internal error: ZeroDivisionError") and "Traceback" not in out.stderr
    assert "Traceback" in (tmp_path / "last-crash.txt").read_text()


def test_an_error_raised_while_ctrl_c_unwinds_exits_130_not_70(tmp_path: Path) -> None:
    """A Ctrl-C that cuts a `with` short can surface as another error (a lock released twice); that is
    the interrupt, not a bug: 130 and the interrupt's sentence, no crash file."""
    code = (
        "import sys, rusta_tui.cli.history as h\n"
        "def run(args):\n"
        "    try:\n"
        "        raise KeyboardInterrupt\n"
        "    finally:\n"
        "        raise RuntimeError('cannot release un-acquired lock')\n"
        "h.run = run\n"
        "from rusta_tui.cli.main import main\n"
        "sys.exit(main(['history']))\n"
    )
    env = {**os.environ, "RUSTA_CACHE_DIR": str(tmp_path)}
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60, env=env)
    assert out.returncode == 130, out.stderr
    assert out.stderr.startswith("rusta: interrupted") and not (tmp_path / "last-crash.txt").exists()


def test_the_exit_message_names_rusta_as_it_can_be_run_here() -> None:
    def invocation(path: str) -> str:
        out = subprocess.run(
            [sys.executable, "-c", "from rusta_tui.cli.tui import invocation; print(invocation())"],
            cwd=REPO,
            capture_output=True,
            text=True,
            timeout=60,
            env={**os.environ, "PATH": path},
        )
        assert out.returncode == 0, out.stderr
        return out.stdout.strip()

    venv_bin = Path(sys.executable).parent
    assert invocation(f"{venv_bin}{os.pathsep}/usr/bin:/bin") == "rusta"
    outside = invocation("/usr/bin:/bin")  # `make run` does not activate the venv
    assert outside.endswith("bin/rusta") and Path(REPO, outside).exists(), outside
    readme = (REPO / "README.md").read_text()
    assert ".venv/bin/rusta" in readme and "make install" in readme


def test_the_version_is_the_package_metadata_one() -> None:
    """One place says the version (pyproject.toml); `rusta --version` reads it from the installed metadata."""
    declared = tomllib.loads((REPO / "pyproject.toml").read_text())["project"]["version"]
    out = subprocess.run(
        [sys.executable, "-m", "rusta_tui.cli.main", "--version"], capture_output=True, text=True, timeout=60
    )
    assert out.returncode == 0 and out.stdout == f"rusta {declared}\n", out.stdout + out.stderr
