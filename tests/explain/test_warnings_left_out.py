"""While the crate has errors, `rusta explain` shows a lint's warning as one numbered line (the N
of --apply N), never as a story with its own fixes among the errors (real cargo on a crate written
here)."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from tests.cli_runner import rusta
from tests.explain.crates import write_lib

pytestmark = [pytest.mark.slow, pytest.mark.xdist_group("explain-cli")]

# unneeded parentheses (an early lint, reported even while types fail) beside an E0308
ERROR_AND_WARNING = """pub fn total(xs: &[u32]) -> u32 {
    let s: u32 = (xs.len());
    s
}
"""


def _explain(tmp: Path, crate: Path, *args: str) -> subprocess.CompletedProcess[str]:
    cache = {"RUSTA_CACHE_DIR": str(tmp / "cache")}
    return rusta("explain", str(crate), "--no-clippy", "--no-log", *args, env=cache, timeout=300)


@pytest.mark.parametrize("mode", ["pair", "study"])
def test_warnings_are_counted_not_numbered_among_errors(tmp_path: Path, mode: str) -> None:
    crate = write_lib(tmp_path, "tally", ERROR_AND_WARNING)
    out = _explain(tmp_path, crate, "--mode", mode, "--no-validate")
    assert out.returncode == 0, out.stderr
    heads = [ln for ln in out.stdout.splitlines() if ln.startswith("#") and "warning[" in ln]
    assert len(heads) == 1 and heads[0].endswith("(left until the errors are fixed)"), heads
    assert "unnecessary parentheses" not in out.stdout.split(heads[0])[1], out.stdout
    only = _explain(tmp_path, crate, "--mode", mode, "--no-validate", "--code", "unused_parens")
    assert "warning" in only.stdout and "left until" not in only.stdout
