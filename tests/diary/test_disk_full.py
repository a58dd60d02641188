"""Disk full: a clear, user-facing error, nothing half-written, the log still readable and writable
once space is back. Tested against a real size limit: RLIMIT_FSIZE in a child process, and a
64 KiB tmpfs where this machine lets root mount one."""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

from diary.devlog import DevLog
from diary.errors import DiaryError, DiaryFull
from diary.verify import verify
from tests.cli_runner import ARGV, child_env

REPO = Path(__file__).resolve().parents[2]

CHILD = """
import sys
from diary.devlog import DevLog
from diary.errors import DiaryFull
log = DevLog.open(sys.argv[1])
try:
    for k in range(10_000):
        eid = log.append("note", {"summary": f"note {k}", "pad": "z" * 1500})
        print("ack", eid, flush=True)
except DiaryFull as e:
    print("full", type(e).__name__, e.user_facing, e.exit_code, str(e), flush=True)
"""


def _limit(nbytes: int) -> list[str]:
    """RLIMIT_FSIZE through util-linux's prlimit: a preexec_fn would fork a pytest worker that may
    hold JAX's threads (and run Python in the child), which can deadlock."""
    return ["prlimit", f"--fsize={nbytes}", "--"]


def _check_readable(root: Path, acked: list[str]) -> None:
    rep = verify(root)
    assert rep.ok and not rep.damage, rep
    with DevLog.open(root) as log:
        assert log.recovery.clean  # the failed append was cut back by the writer itself
        ids = [e.id for e in log.entries()]
        assert ids == acked
        log.append("note", {"summary": "space is back"})  # writable again without the limit
    assert verify(root).ok


def test_file_size_limit_gives_clear_error_and_log_stays_whole(tmp_path: Path) -> None:
    env = dict(os.environ, PYTHONPATH=str(REPO))
    out = subprocess.run(
        [*_limit(20_000), sys.executable, "-c", CHILD, str(tmp_path)],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
    )
    assert out.returncode == 0, out.stderr
    lines = out.stdout.splitlines()
    acked = [ln.split()[1] for ln in lines if ln.startswith("ack ")]
    assert 5 <= len(acked) < 20
    assert lines[-1].startswith("full DiaryFull True 4 the disk is full"), lines[-1]
    _check_readable(tmp_path, acked)


def test_cli_append_on_full_disk_exits_nonzero_with_one_line(tmp_path: Path) -> None:
    env = child_env()
    argv = [
        *ARGV,
        "diary",
        "--root",
        str(tmp_path),
        "append",
        "x" * 3000,
    ]
    ok = subprocess.run(argv, capture_output=True, text=True, env=env, timeout=60)
    assert ok.returncode == 0, ok.stderr
    size = sum(p.stat().st_size for p in (tmp_path / ".rusta" / "devlog").glob("seg-*.log"))
    full = subprocess.run([*_limit(size + 100), *argv], capture_output=True, text=True, env=env, timeout=60)
    assert full.returncode == 4
    assert full.stderr.startswith("rusta: the disk is full") and full.stderr.count("\n") == 1, full.stderr
    _check_readable(tmp_path, [ok.stdout.strip()])


def _mount_tmpfs(d: Path) -> bool:
    if os.geteuid() != 0:
        return False
    r = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=64k", "tmpfs", str(d)], capture_output=True)
    return r.returncode == 0


def test_full_tmpfs(tmp_path: Path) -> None:
    """A real full file system (ENOSPC). Where mounting is not allowed, the same checks run under
    RLIMIT_FSIZE (EFBIG) in `test_file_size_limit_gives_clear_error_and_log_stays_whole`."""
    d = Path(tempfile.mkdtemp(dir=tmp_path))
    if not _mount_tmpfs(d):
        pytest.fail("cannot mount a tmpfs here (needs root); run the suite as root, as CI does")
    try:
        filler = d / "filler.bin"
        filler.write_bytes(b"\0" * 16 * 1024)
        acked: list[str] = []
        with DevLog.open(d) as log, pytest.raises(DiaryFull) as err:
            for k in range(1000):
                acked.append(log.append("note", {"summary": f"note {k}", "pad": "y" * 3000}))
        assert isinstance(err.value, DiaryError) and err.value.user_facing
        assert "disk is full" in str(err.value)
        assert len(acked) >= 5
        filler.unlink()
        _check_readable(d, acked)
    finally:
        subprocess.run(["umount", str(d)], check=False)
