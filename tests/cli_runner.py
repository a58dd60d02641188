"""The real `rusta` CLI in a child process on this checkout: the one runner the CLI tests share.

A test of the CLI runs it the way a user does, in its own process, so exit codes, stderr and what
reaches the terminal are the real ones; only how it is started is common, and lives here.
"""

from __future__ import annotations

import os
import pty
import select
import subprocess
import sys
import time
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


def on_a_terminal(
    *args: str, answer: bytes, cwd: Path | None = None, env: Mapping[str, str | None] | None = None
) -> tuple[int, str, bool]:
    """`rusta ARGS` with a pseudo-terminal as stdin, stdout and stderr, answering its first `[y/N]`
    question with `answer` (`b"y\\n"`, or ctrl-D `b"\\x04"`): (exit code, what the terminal showed,
    whether the question came). openpty and Popen rather than pty.fork: forking a pytest worker that
    may hold JAX's threads and running Python in the child before exec can deadlock."""
    fd, tty = pty.openpty()
    proc = subprocess.Popen(
        [*ARGV, *args],
        cwd=cwd,
        env=child_env(env),
        stdin=tty,
        stdout=tty,
        stderr=tty,
        start_new_session=True,
    )
    os.close(tty)
    out, answered, deadline = b"", False, time.monotonic() + 300
    while time.monotonic() < deadline:
        if not select.select([fd], [], [], 0.5)[0]:
            continue
        try:
            chunk = os.read(fd, 4096)
        except OSError:  # the child closed the terminal
            break
        if not chunk:
            break
        out += chunk
        if not answered and b"[y/N]" in out:
            os.write(fd, answer)
            answered = True
    code = proc.wait(timeout=60)
    os.close(fd)
    return code, out.decode("utf-8", "replace"), answered
