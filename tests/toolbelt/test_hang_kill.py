"""A hung test binary never outlives the run that started it: real cargo on a crate whose test
deadlocks (one Mutex locked twice in one thread), stopped by the run bound, and by a SIGTERM sent
to the Python process that runs it (`timeout`'s signal; the child has its own session, so only
Rusta's own handler can pass it on)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from toolbelt.cargo_run import run_test

pytestmark = pytest.mark.slow

LIB = """use std::sync::Mutex;

pub fn both(m: &Mutex<Vec<u32>>) -> usize {
    let held = m.lock().unwrap();
    let again = m.lock().unwrap().len();
    held.len() + again
}

#[cfg(test)]
mod tests {
    #[test]
    fn deadlocks() {
        let m = std::sync::Mutex::new(vec![1, 2]);
        assert_eq!(super::both(&m), 4);
    }
}
"""


def _crate(tmp_path: Path) -> Path:
    root = tmp_path / "hangkill"
    (root / "src").mkdir(parents=True)
    (root / "Cargo.toml").write_text('[package]\nname = "hangkill"\nversion = "0.1.0"\nedition = "2021"\n')
    (root / "src" / "lib.rs").write_text(LIB)
    return root


def _binaries() -> list[int]:
    """The running test binaries of the fixture crate (cargo names them deps/hangkill-HASH)."""
    out = []
    for d in Path("/proc").iterdir():
        if not d.name.isdigit():
            continue
        try:
            argv0 = (d / "cmdline").read_bytes().split(b"\0")[0]
            state = (d / "stat").read_text().rsplit(")", 1)[1].split()[0]
        except OSError:
            continue
        if b"/deps/hangkill-" in argv0 and state not in ("Z", "X"):
            out.append(int(d.name))
    return out


def _none_left(timeout_s: float = 5.0) -> list[int]:
    deadline = time.monotonic() + timeout_s
    while (left := _binaries()) and time.monotonic() < deadline:
        time.sleep(0.05)
    return left


def test_the_run_bound_kills_the_hung_binary(tmp_path) -> None:
    rep = run_test(_crate(tmp_path), run_timeout_s=2)
    assert rep.status == "timeout", rep.message
    assert rep.process is not None and rep.process.outcome == "killed"
    assert not _none_left(), "the deadlocked test binary outlived run_test"


def test_a_sigterm_to_rusta_kills_the_hung_binary(tmp_path) -> None:
    root = _crate(tmp_path)
    code = f"from toolbelt.cargo_run import run_test\nrun_test({str(root)!r}, run_timeout_s=300)\n"
    parent = subprocess.Popen([sys.executable, "-c", code], cwd=os.getcwd(), stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 240  # a cold build of a one-file crate, on a loaded machine
        while not _binaries() and parent.poll() is None and time.monotonic() < deadline:
            time.sleep(0.1)
        assert _binaries(), "the test binary never started"
        time.sleep(0.5)
        parent.send_signal(signal.SIGTERM)
        assert parent.wait(timeout=20) == -signal.SIGTERM  # it still dies of the signal
        assert not _none_left(), "the deadlocked test binary outlived Rusta's SIGTERM"
    finally:
        parent.kill()
        for pid in _binaries():
            os.kill(pid, signal.SIGKILL)
