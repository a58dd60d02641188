"""run_limited against real processes: timeouts kill the whole group, caps hold, exit codes are honest."""

from __future__ import annotations

import threading
import time

import pytest

from toolbelt.errors import ToolMissing
from toolbelt.process import run_limited


def test_ok_and_failed(tmp_path):
    ok = run_limited(["sh", "-c", "echo hi"], cwd=tmp_path)
    assert ok.outcome == "ok" and ok.stdout == b"hi\n"
    bad = run_limited(["sh", "-c", "echo oops >&2; exit 3"], cwd=tmp_path)
    assert bad.outcome == "failed" and bad.returncode == 3 and bad.stderr == b"oops\n"


def test_timeout_kills_grandchildren(tmp_path):
    pidfile = tmp_path / "pid"
    t0 = time.monotonic()
    r = run_limited(["sh", "-c", f"sleep 60 & echo $! > {pidfile}; wait"], cwd=tmp_path, timeout_s=0.5)
    assert r.outcome == "timeout"
    assert time.monotonic() - t0 < 10
    pid = int(pidfile.read_text())
    assert not _alive(pid), "the backgrounded grandchild survived the timeout"


def _alive(pid: int) -> bool:
    """Alive means running; a killed orphan may linger as a zombie until init reaps it."""
    deadline = time.monotonic() + 5
    while time.monotonic() < deadline:
        try:
            state = open(f"/proc/{pid}/stat").read().rsplit(")", 1)[1].split()[0]
        except FileNotFoundError:
            return False
        if state in ("Z", "X"):
            return False
        time.sleep(0.05)
    return True


def test_output_cap(tmp_path):
    r = run_limited(["sh", "-c", "yes xxxxxxxxxxxxxxxx"], cwd=tmp_path, output_cap=100_000, timeout_s=20)
    assert r.outcome == "output_cap" and r.truncated
    assert len(r.stdout) <= 100_000


def test_memory_limit(tmp_path):
    r = run_limited(
        ["python3", "-c", "x = bytearray(600 * 1024 * 1024)"], cwd=tmp_path, memory_bytes=300 * 1024**2
    )
    assert r.outcome == "failed"
    assert b"MemoryError" in r.stderr


def test_cancel(tmp_path):
    ev = threading.Event()
    threading.Timer(0.2, ev.set).start()
    r = run_limited(["sleep", "30"], cwd=tmp_path, cancel=ev, timeout_s=20)
    assert r.outcome == "killed"


def test_stream_lines(tmp_path):
    seen: list[bytes] = []
    run_limited(["sh", "-c", "echo a; echo b"], cwd=tmp_path, on_stdout_line=seen.append)
    assert seen == [b"a\n", b"b\n"]


def test_missing_program(tmp_path):
    with pytest.raises(ToolMissing):
        run_limited(["definitely-not-a-program-xyz"], cwd=tmp_path)


def test_merge_stderr_keeps_order(tmp_path):
    r = run_limited(["sh", "-c", "echo one; echo two >&2; echo three"], cwd=tmp_path, merge_stderr=True)
    assert r.stdout == b"one\ntwo\nthree\n" and r.stderr == b""


def test_exit_is_seen_without_polling_delay(tmp_path):
    t0 = time.monotonic()
    for _ in range(10):
        run_limited(["true"], cwd=tmp_path)
    assert time.monotonic() - t0 < 2.0


def test_interrupt_kills_the_group(tmp_path):
    """Ctrl-C reaches only Rusta (the child runs in its own session); the child must die with her."""
    import signal
    import subprocess
    import sys

    pidfile = tmp_path / "pid"
    code = (
        "from toolbelt.process import run_limited\n"
        f"run_limited(['sh', '-c', 'sleep 60 & echo $! > {pidfile}; wait'], cwd={str(tmp_path)!r}, timeout_s=60)\n"
    )
    parent = subprocess.Popen([sys.executable, "-c", code], stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 20
    while not (pidfile.exists() and pidfile.read_text().strip()) and time.monotonic() < deadline:
        time.sleep(0.05)
    parent.send_signal(signal.SIGINT)
    parent.wait(timeout=20)
    assert not _alive(int(pidfile.read_text())), "the child outlived Rusta's Ctrl-C"


def test_no_fork_hooks_run_so_a_concurrent_import_cannot_traceback(tmp_path):
    """With a preexec_fn, subprocess runs Python's at-fork hooks; a module that registers one in
    another thread meanwhile (logging does) then raised in them and printed a traceback at the user.
    Limits now come from prlimit, so spawning runs no hooks at all."""
    import os as _os

    calls: list[str] = []
    _os.register_at_fork(before=lambda: calls.append("before"))
    r = run_limited(["sh", "-c", "ulimit -c; ulimit -v"], cwd=tmp_path, memory_bytes=512 * 1024**2)
    assert r.outcome == "ok"
    assert calls == []
    core, vmem = r.stdout.decode().split()
    assert core == "0" and vmem == str(512 * 1024)  # ulimit -v is in KiB
