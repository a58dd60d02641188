"""Run one external program under hard limits: own process group, wall clock, memory, output size.

Every external process Rusta starts goes through `run_limited`. A timeout, a cancel or an output
overflow kills the whole process group (build scripts and test binaries included) and is reported
as such; it is never mistaken for a pass.
"""

from __future__ import annotations

import atexit
import contextlib
import os
import resource
import shutil
import signal
import subprocess
import threading
import time
from collections.abc import Callable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from toolbelt.errors import ToolMissing

if TYPE_CHECKING:  # toolbelt.types imports msgspec: `rusta check` starts cargo before paying for it
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


# The groups started and not yet reaped. Each child has its own session, so neither a signal sent to
# Rusta (`timeout`'s SIGTERM, a closed terminal's SIGHUP) nor Rusta's exit with a daemon thread still
# waiting on one reaches it: a hung test binary outlived the `explain` run that started it by
# minutes. `_kill_live` takes them down on exit and on those signals.
_LIVE: set[subprocess.Popen[bytes]] = set()
_LIVE_LOCK = threading.RLock()  # re-entrant: the signal handler runs on the main thread, which may hold it


def _track(proc: subprocess.Popen[bytes], live: bool) -> None:
    with _LIVE_LOCK:
        (_LIVE.add if live else _LIVE.discard)(proc)


def _kill_live() -> None:
    """Kill every group still running: at exit, and on SIGTERM or SIGHUP before Rusta dies of it."""
    with _LIVE_LOCK:
        live = list(_LIVE)
    for proc in live:
        _kill_group(proc)


def _on_signal(signum: int, frame: object) -> None:
    _kill_live()
    signal.signal(signum, signal.SIG_DFL)  # then die of it as before, with the signal's exit status
    os.kill(os.getpid(), signum)


def _install_exit_kill() -> None:
    """At import, in the main thread only (Python's rule), and only over the default handlers: an
    app that handles these signals itself (a TUI) keeps its handler, and the atexit hook still runs."""
    atexit.register(_kill_live)
    if threading.current_thread() is not threading.main_thread():
        return
    for sig in (signal.SIGTERM, signal.SIGHUP):
        if signal.getsignal(sig) == signal.SIG_DFL:
            signal.signal(sig, _on_signal)


_install_exit_kill()


class Started:
    """A program `start_limited` started: its output is read from the first byte on (so it never blocks on
    a full pipe), kept in memory, and handed to a line callback that may be attached later (`attach`
    replays what came before). `finish` watches it to the end."""

    def __init__(
        self,
        proc: subprocess.Popen[bytes],
        *,
        argv: tuple[str, ...],
        cwd: str,
        env: Mapping[str, str] | None,
        memory_bytes: int | None,
        output_cap: int,
        merge_stderr: bool,
        start: float,
        on_stdout_line: Callable[[bytes], None] | None,
    ) -> None:
        self.proc = proc
        self.argv, self.cwd, self.env = argv, cwd, env
        self.memory_bytes, self.output_cap, self.merge_stderr = memory_bytes, output_cap, merge_stderr
        self.start = start
        self.chunks: dict[str, list[bytes]] = {"stdout": [], "stderr": []}
        self.sizes = {"stdout": 0, "stderr": 0}
        self.overflow = threading.Event()
        self._lock = threading.Lock()
        self._line_cb = on_stdout_line
        self.threads = [threading.Thread(target=self._read, args=("stdout", proc.stdout), daemon=True)]
        if proc.stderr is not None:
            self.threads.append(
                threading.Thread(target=self._read, args=("stderr", proc.stderr), daemon=True)
            )
        for t in self.threads:
            t.start()

    def _read(self, name: str, stream) -> None:
        for line in iter(stream.readline, b""):
            if self.sizes[name] + len(line) > self.output_cap:
                self.overflow.set()
                _kill_group(self.proc)
                break
            with self._lock:  # a callback attached meanwhile sees every line once, in order
                self.sizes[name] += len(line)
                self.chunks[name].append(line)
                if name == "stdout" and self._line_cb is not None:
                    _call(self._line_cb, line)
        stream.close()

    def attach(self, on_stdout_line: Callable[[bytes], None] | None) -> None:
        """From now on each stdout line goes to `on_stdout_line`; the lines read so far go first."""
        if on_stdout_line is None:
            return
        with self._lock:
            for line in self.chunks["stdout"]:
                _call(on_stdout_line, line)
            self._line_cb = on_stdout_line

    def kill(self) -> None:
        """Kill the whole group and reap it, so nothing it held (a cargo build lock) outlives this call."""
        _kill_group(self.proc)
        self.proc.wait()
        _track(self.proc, False)
        for t in self.threads:
            t.join(timeout=5)


def _call(cb: Callable[[bytes], None], line: bytes) -> None:
    try:
        cb(line)
    except Exception:  # an analyzer bug must not leave the child unreaped
        pass


def start_limited(
    argv: Sequence[str],
    *,
    cwd: str | Path,
    env: Mapping[str, str] | None = None,
    memory_bytes: int | None = DEFAULT_MEMORY_BYTES,
    output_cap: int = DEFAULT_OUTPUT_CAP,
    stdin_pipe: bool = False,
    on_stdout_line: Callable[[bytes], None] | None = None,
    merge_stderr: bool = False,
) -> Started:
    """Start `argv` in its own session and process group, under the limits; see `run_limited`."""
    argv = tuple(str(a) for a in argv)
    start = time.monotonic()
    spawn, preexec = _spawn_argv(argv, cwd, env, memory_bytes)
    with _interrupt_deferred() as interrupted:
        try:
            proc = subprocess.Popen(
                spawn,
                cwd=str(cwd),
                env=dict(env) if env is not None else None,
                stdin=subprocess.PIPE if stdin_pipe else subprocess.DEVNULL,
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
        _track(proc, True)
        try:
            started = Started(
                proc,
                argv=argv,
                cwd=str(cwd),
                env=env,
                memory_bytes=memory_bytes,
                output_cap=output_cap,
                merge_stderr=merge_stderr,
                start=start,
                on_stdout_line=on_stdout_line,
            )
        except BaseException:
            _kill_group(proc)
            raise
    if interrupted:  # Ctrl-C came while the child was being started: it must not outlive Rusta
        _kill_group(proc)
        raise KeyboardInterrupt
    return started


@contextlib.contextmanager
def _interrupt_deferred() -> Iterator[list[int]]:
    """Hold Ctrl-C back while a child is started: a KeyboardInterrupt inside Popen, after the fork,
    would lose the child's handle and leave its group running. Only the main thread, and only when
    Python's own handler is in place; the list says whether Ctrl-C came meanwhile."""
    hit: list[int] = []
    if (
        threading.current_thread() is not threading.main_thread()
        or signal.getsignal(signal.SIGINT) is not signal.default_int_handler
    ):
        yield hit
        return
    previous = signal.signal(signal.SIGINT, lambda signum, frame: hit.append(signum))
    try:
        yield hit
    finally:
        signal.signal(signal.SIGINT, previous)


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
    started = start_limited(
        argv,
        cwd=cwd,
        env=env,
        memory_bytes=memory_bytes,
        output_cap=output_cap,
        stdin_pipe=stdin is not None,
        on_stdout_line=on_stdout_line,
        merge_stderr=merge_stderr,
    )
    proc = started.proc
    try:
        if stdin is not None and proc.stdin is not None:
            try:
                proc.stdin.write(stdin)
                proc.stdin.close()
            except BrokenPipeError:
                pass
    except BaseException:  # Ctrl-C while feeding it: take the whole group down with us
        _kill_group(proc)
        raise
    return finish(started, timeout_s=timeout_s, cancel=cancel)


def finish(
    started: Started, *, timeout_s: float = DEFAULT_TIMEOUT_S, cancel: threading.Event | None = None
) -> ProcessResult:
    """Watch a started program to its end under the wall-clock limit (counted from its start) and a
    cancel; whatever happens, the whole group is killed and reaped before this returns."""
    proc = started.proc
    outcome: Outcome | None = None
    deadline = started.start + timeout_s
    try:
        # A thread blocks in wait() so the exit is seen at once (Popen.wait(timeout) polls with sleeps
        # of up to 50 ms, a visible share of a warm `cargo check`); this loop only watches the limits.
        exited = threading.Event()

        def wait_exit() -> None:
            proc.wait()
            exited.set()

        waiter = threading.Thread(target=wait_exit, daemon=True)
        waiter.start()
        while not exited.wait(0.05):
            if started.overflow.is_set():
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
    _track(proc, False)
    from toolbelt.types import ProcessResult  # msgspec: imported once nothing is left running

    for t in started.threads:
        t.join(timeout=5)
    if started.overflow.is_set():
        outcome = "output_cap"
    duration = time.monotonic() - started.start
    rc = proc.returncode
    if outcome is None:
        outcome = "ok" if rc == 0 else "failed"
    note = {
        "timeout": f"killed after the {timeout_s:g} s limit",
        "killed": "cancelled",
        "output_cap": f"killed: output passed the {started.output_cap} byte cap",
    }.get(outcome, "")
    return ProcessResult(
        argv=started.argv,
        cwd=started.cwd,
        returncode=rc,
        outcome=outcome,
        stdout=b"".join(started.chunks["stdout"]),
        stderr=b"".join(started.chunks["stderr"]),
        duration_s=duration,
        truncated=outcome == "output_cap",
        note=note,
    )
