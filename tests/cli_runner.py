"""The real `rusta` CLI in a child process on this checkout: the one runner the CLI tests share.

A test of the CLI runs it the way a user does, in its own process, so exit codes, stderr and what
reaches the terminal are the real ones; only how it is started is common, and lives here.
"""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Mapping
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
ARGV = (sys.executable, "-m", "rusta_tui.cli.main")  # `rusta`, for a test that must hold the process itself


def child_env(env: Mapping[str, str | None] | None = None, columns: int | None = None) -> dict[str, str]:
    """This process's environment with this checkout on PYTHONPATH, `env` added (None removes a
    variable) and COLUMNS fixed when `columns` is given: what every rusta child of a test runs in."""
    child = dict(os.environ, PYTHONPATH=str(REPO))
    if columns is not None:
        child["COLUMNS"] = str(columns)
    for name, value in (env or {}).items():
        if value is None:
            child.pop(name, None)
        else:
            child[name] = value
    return child


def rusta(
    *args: str,
    cwd: Path | None = None,
    env: Mapping[str, str | None] | None = None,
    columns: int | None = None,
    timeout: float = 600,
    input: str | None = None,
) -> subprocess.CompletedProcess[str]:
    """`rusta ARGS` as a user runs it; `env` adds variables (None removes one), `columns` fixes the
    width text folds at.

    PYTHONPATH points at this checkout, so the child runs this code and not an installed rusta; stdin
    is `input`, else closed, so a command that would ask a question fails plainly instead of waiting
    on the test."""
    return subprocess.run(
        [*ARGV, *args],
        cwd=cwd,
        env=child_env(env, columns),
        capture_output=True,
        text=True,
        timeout=timeout,
        input=input,
        stdin=subprocess.DEVNULL if input is None else None,
    )
