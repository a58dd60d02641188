"""Network isolation is real: a process run the way cargo is run cannot reach a server outside."""

from __future__ import annotations

import shutil
import socket
import subprocess
import sys
import threading
from pathlib import Path

from toolbelt.isolation import isolated_argv, isolation_mode
from toolbelt.process import run_limited


def _fresh_probe() -> str:
    """Decide the mode again, independently of the cached answer, by trying it."""
    unshare = shutil.which("unshare")

    def ok(*flags: str) -> bool:
        return (
            unshare is not None
            and subprocess.run([unshare, *flags, "true"], capture_output=True).returncode == 0
        )

    return "netns" if ok("-n") else "userns-netns" if ok("-r", "-n") else "offline-only"


def test_detected_mode_tells_the_truth() -> None:
    assert isolation_mode() == _fresh_probe()


def test_isolated_process_sees_only_loopback(tmp_path: Path) -> None:
    proc = run_limited(isolated_argv(["cat", "/proc/net/dev"]), cwd=tmp_path, timeout_s=20)
    assert proc.outcome == "ok", proc.stderr
    ifaces = {ln.split(":")[0].strip() for ln in proc.stdout.decode().splitlines()[2:]}
    assert isolation_mode() != "offline-only", "this kernel allows a network namespace; Rusta must use it"
    assert ifaces == {"lo"}


def test_isolated_process_cannot_reach_a_server_outside(tmp_path: Path) -> None:
    server = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    server.bind(("127.0.0.1", 0))
    server.listen(1)
    port = server.getsockname()[1]
    accepted: list[bool] = []

    def accept() -> None:
        server.settimeout(8)
        try:
            conn, _ = server.accept()
            accepted.append(True)
            conn.close()
        except OSError:
            pass

    t = threading.Thread(target=accept)
    t.start()
    code = (
        "import socket, sys\n"
        f"s = socket.socket(); s.settimeout(3)\n"
        "try:\n"
        f"    s.connect(('127.0.0.1', {port})); print('connected')\n"
        "except OSError as e:\n"
        "    print('refused', e)\n"
    )
    outside = run_limited([sys.executable, "-c", code], cwd=tmp_path, timeout_s=20)
    inside = run_limited(isolated_argv([sys.executable, "-c", code]), cwd=tmp_path, timeout_s=20)
    t.join()
    server.close()
    assert outside.stdout.startswith(b"connected"), "the control connection should work"
    assert isolation_mode() != "offline-only", "this machine allows a network namespace; Rusta must use it"
    assert inside.stdout.startswith(b"refused"), inside.stdout + inside.stderr
    assert accepted == [True], "only the control connection may have arrived"


def test_private_loopback_works_inside(tmp_path: Path) -> None:
    """A crate's own tests may talk to 127.0.0.1 inside one process; the namespace's lo is up."""
    code = (
        "import socket\n"
        "a = socket.socket(); a.bind(('127.0.0.1', 0)); a.listen(1)\n"
        "b = socket.create_connection(a.getsockname(), timeout=3); print('ok')\n"
    )
    proc = run_limited(isolated_argv([sys.executable, "-c", code]), cwd=tmp_path, timeout_s=20)
    assert proc.stdout.strip() == b"ok", proc.stderr


def test_mode_is_cached_per_boot_and_forget_detects_again(tmp_path: Path) -> None:
    from toolbelt import isolation

    isolation.forget()
    first = isolation.isolation_mode()
    key = isolation._boot_key()
    assert key is not None and isolation._cache_file(key).read_text() == first
    isolation._cache_file(key).write_text("offline-only")  # as if the kernel had refused namespaces
    isolation.isolation_mode.cache_clear()
    assert isolation.isolation_mode() == "offline-only"  # the cache is believed...
    isolation.forget()
    assert isolation.isolation_mode() == first == _fresh_probe()  # ...until forgotten


def test_loopback_stays_down_when_not_asked_for(tmp_path: Path) -> None:
    code = "import socket\na = socket.socket()\ntry:\n    a.bind(('127.0.0.1', 0)); a.listen(1); socket.create_connection(a.getsockname(), timeout=3); print('up')\nexcept OSError:\n    print('down')\n"
    proc = run_limited(
        isolated_argv([sys.executable, "-c", code], loopback=False), cwd=tmp_path, timeout_s=20
    )
    assert proc.stdout.strip() == b"down"
