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
    assert out.stderr.strip() == f"rusta: no model checkpoint in {tmp_path / 'none'}: run `make model`."


def test_damaged_weights_are_named_not_numpys_pickle_advice(
    trained: tuple[Path, Path], tmp_path: Path
) -> None:
    import shutil

    ckpt = tmp_path / "ckpt"
    shutil.copytree(trained[1], ckpt)
    (ckpt / "weights.npz").write_bytes(b"not a zip at all")
    f = tmp_path / "x.rs"
    f.write_text("fn main() {}\n")
    out = _rusta("lm", "--checkpoint", str(ckpt), "bpb", str(f))
    assert out.returncode == 2
    assert out.stderr.strip() == (
        f"rusta: {ckpt / 'weights.npz'} is not a valid npz file (ValueError); "
        "rebuild it with `make model` (or `git checkout` the shipped one)."
    )
    shutil.copy(trained[1] / "weights.npz", ckpt / "weights.npz")
    (ckpt / "ngram.npz").write_bytes(b"PK\x03\x04 truncated")
    out = _rusta("lm", "--checkpoint", str(ckpt), "bpb", str(f))
    assert out.returncode == 2 and "ngram.npz is not a valid npz file" in out.stderr, out.stderr


def test_empty_file_has_no_score_and_n_must_be_positive(trained: tuple[Path, Path], tmp_path: Path) -> None:
    empty, code = tmp_path / "empty.rs", tmp_path / "a.rs"
    empty.write_bytes(b"")
    code.write_text(rust_code(4))
    out = _rusta("lm", "--checkpoint", str(trained[1]), "bpb", str(empty), str(code), "--json")
    assert out.returncode == 0, out.stderr
    rows = [json.loads(line) for line in out.stdout.splitlines()]
    assert rows[0] == {"path": str(empty), "bytes": 0, "bpb": None} and rows[1]["bpb"] > 0
    assert f"{empty}: empty, nothing to score." in out.stderr
    text = _rusta("lm", "--checkpoint", str(trained[1]), "bpb", str(empty))
    assert text.returncode == 0 and "empty" in text.stdout
    for bad in ("0", "-3"):
        hot = _rusta("lm", "--checkpoint", str(trained[1]), "hotspots", str(code), "-n", bad)
        assert hot.returncode == 2 and "expected a whole number from 1" in hot.stderr, hot.stderr
