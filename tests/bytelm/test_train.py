"""Training survives kill -9: a real training process is killed and a restart resumes from its checkpoint."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]


# One xdist worker builds the shared snapshot and trains the `test` model once for all of these.
pytestmark = pytest.mark.xdist_group("bytelm")


def _cmd(snap: Path, run_dir: Path, steps: int) -> list[str]:
    return [
        sys.executable, "-m", "engine.bytelm.train", "--preset", "test", "--snapshot", str(snap),
        "--run-dir", str(run_dir), "--steps", str(steps), "--save-every", "5", "--log-every", "5",
        "--eval-windows", "8",
    ]  # fmt: skip


def test_kill9_then_resume(tiny_snapshot: Path, tmp_path: Path) -> None:
    run_dir = tmp_path / "run"
    env = dict(os.environ, JAX_PLATFORMS="cpu")
    log = tmp_path / "first.log"
    with open(log, "wb") as out:
        proc = subprocess.Popen(
            _cmd(tiny_snapshot, run_dir, 100000), cwd=REPO, env=env, stdout=out, stderr=out
        )
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline and b"saved step 10\n" not in log.read_bytes():
            assert proc.poll() is None, log.read_text()
            time.sleep(0.2)
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait()
    assert proc.returncode == -signal.SIGKILL
    saved = [int(line.split()[-1]) for line in log.read_text().splitlines() if line.startswith("saved step")]
    assert saved and saved[-1] >= 10
    again = subprocess.run(
        _cmd(tiny_snapshot, run_dir, saved[-1] + 5),
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        timeout=180,
    )
    assert again.returncode == 0, again.stderr
    resumed = [line for line in again.stderr.splitlines() if line.startswith("resumed from step")]
    # the newest complete checkpoint: the last one announced, or the one before if kill -9 hit mid-save
    assert resumed and int(resumed[0].split()[3]) in {saved[-1], saved[-1] - 5}
    assert f"step {saved[-1] + 5}/{saved[-1] + 5}" in again.stderr


def test_a_run_stopped_by_minutes_leaves_the_shipped_checkpoint_alone(
    tiny_snapshot: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from engine.bytelm.train import train

    from .conftest import train_args

    ship = tmp_path / "ship"
    metrics = train(train_args(tiny_snapshot, tmp_path / "run", 100000, ship=True, out=ship, minutes=1e-4))
    assert metrics.step < 100000
    assert not ship.exists()
    assert "the shipped checkpoint is left as it is" in capsys.readouterr().err
    again = train(
        train_args(
            tiny_snapshot, tmp_path / "run", 100000, ship=True, out=ship, minutes=1e-4, ship_partial=True
        )
    )
    assert again.step > metrics.step  # resumed, then shipped because asked to
    assert (ship / "metrics.json").exists()


def test_progress_is_read_for_the_restored_step_only(tmp_path: Path) -> None:
    from engine.bytelm.train import PROGRESS_KEPT, _read_progress, _write_progress

    (tmp_path / "progress.json").write_text('{"step": 250, "loss_ema": 2.0, "wall_s": 9.0}')  # old format
    assert _read_progress(tmp_path, 250) == {}
    for step in range(10, 10 * (PROGRESS_KEPT + 3), 10):
        _write_progress(tmp_path, step, loss_ema=1.0 / step, wall_s=float(step))
    # kill -9 after progress for 100 was written but before orbax finished step 100: 90 is restored
    assert _read_progress(tmp_path, 90) == {"loss_ema": 1.0 / 90, "wall_s": 90.0}
    assert _read_progress(tmp_path, 95) == {}
    assert _read_progress(tmp_path, 10) == {}  # forgotten: only the last PROGRESS_KEPT saves are kept


def test_restore_float_reads_the_weights_int8_was_made_from(trained: tuple[Path, Path]) -> None:
    import numpy as np

    from engine.bytelm import checkpoint, quant
    from engine.bytelm.config import preset
    from engine.bytelm.train import restore_float

    run_dir, shipped = trained
    step, floats = restore_float(preset("test"), run_dir)
    assert step == 40
    _, qflat = checkpoint.read_shipped(shipped)
    deq = quant.dequantize(qflat)
    assert set(floats) == set(deq)
    for name, w in floats.items():
        assert w.dtype == np.float32 and w.shape == deq[name].shape
        assert np.abs(w - deq[name]).max() <= 0.01 * np.abs(w).max() + 1e-6, name  # int8 rounding only
    assert restore_float(preset("test"), run_dir / "nowhere") is None
