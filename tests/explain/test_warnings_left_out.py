"""While the crate has errors, `rusta explain` numbers only the errors: a lint's warning is not a
numbered story with fixes among them, one line counts what was left out (real cargo on a crate
written here)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.explain.crates import write_lib

pytestmark = [pytest.mark.slow, pytest.mark.xdist_group("explain-cli")]

# unneeded parentheses (an early lint, reported even while types fail) beside an E0308
ERROR_AND_WARNING = """pub fn total(xs: &[u32]) -> u32 {
    let s: u32 = (xs.len());
    s
}
"""


def _explain(tmp: Path, crate: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "RUSTA_CACHE_DIR": str(tmp / "cache")}
    argv = [sys.executable, "-m", "rusta_tui.cli.main", "explain", str(crate), "--no-clippy", "--no-log"]
    return subprocess.run([*argv, *args], env=env, capture_output=True, text=True, timeout=300)


@pytest.mark.parametrize("mode", ["pair", "study"])
def test_warnings_are_counted_not_numbered_among_errors(tmp_path: Path, mode: str) -> None:
    crate = write_lib(tmp_path, "tally", ERROR_AND_WARNING)
    out = _explain(tmp_path, crate, "--mode", mode, "--no-validate")
    assert out.returncode == 0, out.stderr
    heads = [
        ln for ln in out.stdout.splitlines() if ln.startswith("#") and ("error[" in ln or "warning" in ln)
    ]
    assert heads and all("error[" in h for h in heads), heads
    assert "(1 warning left out while the crate has errors" in out.stdout
    only = _explain(tmp_path, crate, "--mode", mode, "--no-validate", "--code", "unused_parens")
    assert "warning" in only.stdout and "left out" not in only.stdout
