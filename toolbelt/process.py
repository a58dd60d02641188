"""Run one external program under hard limits: own process group, wall clock, memory, output size.

Every external process Rusta starts goes through `run_limited`. A timeout, a cancel or an output
overflow kills the whole process group (build scripts and test binaries included) and is reported
as such; it is never mistaken for a pass.
"""

from __future__ import annotations

import os
import resource
import shutil
import signal
import subprocess
import threading
import time
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path

from toolbelt.errors import ToolMissing
from toolbelt.types import Outcome, ProcessResult

DEFAULT_TIMEOUT_S = 300.0
DEFAULT_MEMORY_BYTES = 8 * 1024**3  # address-space cap per process (RLIMIT_AS), inherited by children
MEMORY_LIMIT_KIND = "RLIMIT_AS"  # rustc, cargo, clippy and test binaries verified to work under 8 GiB
DEFAULT_OUTPUT_CAP = 64 * 1024**2  # bytes kept per stream; past that the group is killed


_PRLIMIT = shutil.which("prlimit")  # util-linux, on every Debian system


def _spawn_argv(
    argv: tuple[str, ...], cwd: str | Path, env: Mapping[str, str] | None, memory_bytes: int | None
) -> tuple[tuple[str, ...], Callable[[], None] | None]:
    """The argv to start and the preexec hook, if any.

    Limits are set by `prlimit` rather than a `preexec_fn`: a preexec_fn makes subprocess run
    Python's fork hooks, and a module imported in another thread meanwhile (logging registers
    such hooks) then fails in them and prints a traceback at the user. Without prlimit the hook is
    the fallback. The program is looked up first, so a missing one is still a clear ToolMissing.
    """
    name = argv[0]
    if "/" in name:
        exe = str(Path(cwd, name)) if not os.path.isabs(name) else name
        if not os.path.exists(exe):
            raise ToolMissing(f"`{name}` does not exist.")
    else:
        found = shutil.which(name, path=(env or os.environ).get("PATH", os.defpath))
        if found is None:
            raise ToolMissing(f"`{name}` is not on PATH; install it or fix PATH.")
        exe = found
    if not os.access(exe, os.X_OK) or os.path.isdir(exe):
        raise ToolMissing(f"`{name}` cannot be executed: permission denied.")
    if _PRLIMIT is None:
        return argv, _limit_child(memory_bytes)
    limits = ["--core=0"] + ([f"--as={memory_bytes}"] if memory_bytes else [])
    return (_PRLIMIT, *limits, "--", exe, *argv[1:]), None


def _limit_child(memory_bytes: int | None) -> Callable[[], None]:
    def apply() -> None:
        if memory_bytes:
            resource.setrlimit(resource.RLIMIT_AS, (memory_bytes, memory_bytes))
        resource.setrlimit(resource.RLIMIT_CORE, (0, 0))

    return apply


def _kill_group(proc: subprocess.Popen[bytes]) -> None:
    try:
        os.killpg(proc.pid, signal.SIGKILL)
    except (ProcessLookupError, PermissionError):
        pass


def run_limited(
    argv: Sequence[str],
    *,
    cwd: str | Path,
    env: Mapping[str, str] | None = None,
    timeout_s: float = DEFAULT_TIMEOUT_S,
    memory_bytes: int | None = DEFAULT_MEMORY_BYTES,
    output_cap: int = DEFAULT_OUTPUT_CAP,
    stdin: bytes | None = None,
    on_stdout_line: Callable[[bytes], None] | None = None,
    cancel: threading.Event | None = None,
    merge_stderr: bool = False,
) -> ProcessResult:
    """Run `argv` in its own session and process group; never raises for what the program does.

    Raises ToolMissing only when the program itself cannot be started. `on_stdout_line` receives
    each stdout line as it arrives (cargo's JSON stream), from a reader thread. `merge_stderr` sends
    stderr into stdout, keeping the two in the order the program wrote them (cargo test's `Running`
    lines before each suite's results).
    """
    argv = tuple(str(a) for a in argv)
    start = time.monotonic()
    spawn, preexec = _spawn_argv(argv, cwd, env, memory_bytes)
    try:
        proc = subprocess.Popen(
            spawn,
            cwd=str(cwd),
            env=dict(env) if env is not None else None,
            stdin=subprocess.PIPE if stdin is not None else subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT if merge_stderr else subprocess.PIPE,
            start_new_session=True,
            preexec_fn=preexec,
        )
    except FileNotFoundError as e:
        raise ToolMissing(f"`{argv[0]}` is not on PATH; install it or fix PATH.") from e
    except PermissionError as e:
        raise ToolMissing(f"`{argv[0]}` cannot be executed: {e.strerror}.") from e
    except NotADirectoryError as e:
        raise ToolMissing(f"cannot run `{argv[0]}` in {cwd}: not a directory.") from e

    chunks: dict[str, list[bytes]] = {"stdout": [], "stderr": []}
    sizes = {"stdout": 0, "stderr": 0}
    overflow = threading.Event()

    def reader(name: str, stream, line_cb: Callable[[bytes], None] | None) -> None:
        for line in iter(stream.readline, b""):
            if sizes[name] + len(line) > output_cap:
                overflow.set()
                _kill_group(proc)
                break
            sizes[name] += len(line)
            chunks[name].append(line)
            if line_cb is not None:
                try:
                    line_cb(line)
                except Exception:  # an analyzer bug must not leave the child unreaped
                    pass
        stream.close()

    threads = [threading.Thread(target=reader, args=("stdout", proc.stdout, on_stdout_line), daemon=True)]
    if proc.stderr is not None:
        threads.append(threading.Thread(target=reader, args=("stderr", proc.stderr, None), daemon=True))
    for t in threads:
        t.start()
    if stdin is not None and proc.stdin is not None:
        try:
            proc.stdin.write(stdin)
            proc.stdin.close()
        except BrokenPipeError:
            pass

    outcome: Outcome | None = None
    deadline = start + timeout_s
    # A thread blocks in wait() so the exit is seen at once (Popen.wait(timeout) polls with sleeps of up
    # to 50 ms, a visible share of a warm `cargo check`); this loop only watches the limits.
    exited = threading.Event()
    waiter = threading.Thread(target=lambda: (proc.wait(), exited.set()), daemon=True)
    waiter.start()
    try:
        while not exited.wait(0.05):
            if overflow.is_set():
                outcome = "output_cap"
                _kill_group(proc)
            elif cancel is not None and cancel.is_set():
                outcome = "killed"
                _kill_group(proc)
            elif time.monotonic() > deadline:
                outcome = "timeout"
                _kill_group(proc)
    except BaseException:
        # Ctrl-C reaches only Rusta (the child has its own session): take the whole group down with us.
        _kill_group(proc)
        raise
    proc.wait()
    # The leader is gone; make sure no grandchild (build script, test binary) outlives it.
    _kill_group(proc)
    for t in threads:
        t.join(timeout=5)
    if overflow.is_set():
        outcome = "output_cap"
    duration = time.monotonic() - start
    rc = proc.returncode
    if outcome is None:
        outcome = "ok" if rc == 0 else "failed"
    note = {
        "timeout": f"killed after the {timeout_s:g} s limit",
        "killed": "cancelled",
        "output_cap": f"killed: output passed the {output_cap} byte cap",
    }.get(outcome, "")
    return ProcessResult(
        argv=argv,
        cwd=str(cwd),
        returncode=rc,
        outcome=outcome,
        stdout=b"".join(chunks["stdout"]),
        stderr=b"".join(chunks["stderr"]),
        duration_s=duration,
        truncated=outcome == "output_cap",
        note=note,
    )
