"""`rusta review --batch` lists which proofs ran for each validated fix, as `rusta review` does:
real cargo on a real crate."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.proofs.crates import make_crate

pytestmark = pytest.mark.slow

LIB = """\
pub fn double(n: i32) -> i32 {
    let mut x = n.wrapping_mul(2);
    x
}
"""


def test_batch_rows_and_table_carry_each_fixs_proofs(tmp_path: Path) -> None:
    crate = make_crate(tmp_path / "doubler", LIB, name="doubler")
    env = dict(os.environ, RUSTA_CACHE_DIR=str(tmp_path / "cache"), COLUMNS="200")
    argv = [sys.executable, "-m", "rusta_tui.cli.main", "review", "--no-clippy", "--validate-fixes"]
    argv += ["--state", str(tmp_path / "state.jsonl"), "--batch", str(crate)]
    table = subprocess.run(argv, cwd=tmp_path, env=env, text=True, capture_output=True, timeout=600)
    assert table.returncode in (0, 1), table.stdout + table.stderr
    lines = table.stdout.splitlines()
    at = next(i for i, ln in enumerate(lines) if ln.startswith("doubler"))
    proofs = [ln.strip() for ln in lines[at + 1 :] if ln.startswith("  ")]
    assert proofs[0].startswith("src/lib.rs:2 proof passed: cargo check"), table.stdout
    assert any(p.startswith("src/lib.rs:2 proof passed: cargo test: 0 of 0 test(s) passed") for p in proofs)
    assert any("proof passed: fuzz double: old and new agree on" in p for p in proofs), table.stdout
    # the JSON rows say the same (the state file resumes them too)
    again = subprocess.run(
        [*argv, "--format", "json"], cwd=tmp_path, env=env, text=True, capture_output=True, timeout=600
    )
    row = json.loads(again.stdout.splitlines()[0])
    assert row["proofs"] == proofs, row
