"""`rusta lm` end to end in a subprocess: JSON per file, hotspots, the one-sentence missing-model error."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from tests.bytelm.conftest import rust_code

# One xdist worker builds the shared snapshot and trains the `test` model once for all of these.
pytestmark = pytest.mark.xdist_group("bytelm")


def _rusta(*argv: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "rusta_tui.cli.main", *argv], capture_output=True, text=True)


def test_bpb_json_and_hotspots(trained: tuple[Path, Path], tmp_path: Path) -> None:
    a, b = tmp_path / "a.rs", tmp_path / "b.rs"
    a.write_text(rust_code(3))
    b.write_text('fn main() {\n    println!("hi");\n}\n')
    out = _rusta("lm", "--checkpoint", str(trained[1]), "bpb", str(a), str(b), "--json")
    assert out.returncode == 0, out.stderr
    rows = [json.loads(line) for line in out.stdout.splitlines()]
    assert [r["path"] for r in rows] == [str(a), str(b)]
    assert rows[0]["bytes"] == a.stat().st_size and 0 < rows[0]["bpb"] < 9
    hot = _rusta("lm", "--checkpoint", str(trained[1]), "hotspots", str(a), "-n", "3")
    assert hot.returncode == 0, hot.stderr
    lines = hot.stdout.splitlines()
    assert len(lines) == 3 and all(line.startswith(f"{a}:") and "bpb" in line for line in lines)


def test_missing_checkpoint_is_one_sentence(tmp_path: Path) -> None:
    f = tmp_path / "x.rs"
    f.write_text("fn main() {}\n")
    out = _rusta("lm", "--checkpoint", str(tmp_path / "none"), "bpb", str(f))
    assert out.returncode == 2
    assert out.stderr.strip() == "rusta: no model checkpoint: run `make model`."
