"""`python -m bench`: names are checked before anything runs, and --help lists them."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]


def _bench(*argv: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "bench", *argv], cwd=REPO, capture_output=True, text=True)


def test_help_lists_every_bench() -> None:
    out = _bench("--help")
    assert out.returncode == 0, out.stderr
    for path in (REPO / "bench").glob("bench_*.py"):
        assert path.stem.removeprefix("bench_") in out.stdout


def test_unknown_name_is_a_usage_error_and_runs_nothing() -> None:
    out = _bench("diary", "nosuch")
    assert out.returncode == 2 and "no bench named nosuch" in out.stderr and "Traceback" not in out.stderr
    assert out.stdout == ""  # the diary bench did not start either
