"""`rusta doctor`'s model check loads and scores for real: a working checkpoint passes, a damaged one is named."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

from engine.bytelm.paths import shipped_dir

ROOT = Path(__file__).resolve().parents[2]


def _selfcheck(where: Path) -> tuple[int, dict]:
    out = subprocess.run(
        [sys.executable, "-m", "engine.bytelm.selfcheck", str(where)],
        capture_output=True,
        text=True,
        cwd=ROOT,
    )
    return out.returncode, json.loads(out.stdout.strip().splitlines()[-1])


def test_the_shipped_checkpoint_loads_and_scores() -> None:
    rc, out = _selfcheck(shipped_dir("small"))
    assert rc == 0 and out["ok"] and out["counts"] and 0.1 < out["sample_bpb"] < 4.0


def test_a_damaged_count_model_is_reported_not_raised(tmp_path: Path) -> None:
    copy = tmp_path / "small"
    shutil.copytree(shipped_dir("small"), copy)
    (copy / "ngram.npz").write_bytes((copy / "ngram.npz").read_bytes()[:1000])
    rc, out = _selfcheck(copy)
    assert rc == 1 and not out["ok"] and out["error"]
