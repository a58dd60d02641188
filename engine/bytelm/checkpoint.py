"""Checkpoint IO: orbax training checkpoints that survive kill -9, and the shipped int8 npz.

Training state goes through an orbax CheckpointManager (StandardSave / StandardRestore into the
abstract state from `nnx.eval_shape`); orbax writes each step to a temporary directory and renames
it when complete, so a crash mid-save leaves the previous step intact and restart resumes from it.
The shipped model is smaller and simpler: one npz of int8 weights and scales, with config.json,
metrics.json and the data ledger hash beside it, written to a temporary folder and renamed.
"""

from __future__ import annotations

import json
import zipfile
from pathlib import Path
from typing import Any

import msgspec
import numpy as np

from engine.bytelm.config import ModelConfig
from engine.bytelm.dirswap import replacing
from engine.bytelm.errors import BadCheckpoint, NoCheckpoint
from engine.bytelm.types import TrainMetrics

WEIGHTS = "weights.npz"
CONFIG = "config.json"
METRICS = "metrics.json"
LEDGER = "ledger.sha256"
COUNTS = "ngram.npz"


def manager(directory: Path, keep: int = 2) -> Any:
    import orbax.checkpoint as ocp

    directory.mkdir(parents=True, exist_ok=True)
    options = ocp.CheckpointManagerOptions(max_to_keep=keep, create=True)
    return ocp.CheckpointManager(directory.resolve(), options=options)


def save(mngr: Any, step: int, state: Any) -> None:
    import orbax.checkpoint as ocp

    mngr.save(step, args=ocp.args.StandardSave(state))


def restore_latest(mngr: Any, abstract_state: Any) -> tuple[int, Any] | None:
    """(step, state) of the newest complete checkpoint, or None for a fresh start."""
    import orbax.checkpoint as ocp

    step = mngr.latest_step()
    if step is None:
        return None
    return step, mngr.restore(step, args=ocp.args.StandardRestore(abstract_state))


def write_shipped(
    out_dir: Path,
    cfg: ModelConfig,
    qflat: dict[str, np.ndarray],
    metrics: TrainMetrics,
    ledger_sha256: str,
    counts: Any = None,
) -> None:
    """Replace `out_dir` with a new shipped checkpoint, atomically at the directory level."""
    with replacing(out_dir) as tmp:
        arrays: dict[str, Any] = dict(qflat)  # numpy's stubs: a ** dict may not name a bool flag
        np.savez(tmp / WEIGHTS, **arrays)
        cfg.save(tmp / CONFIG)
        (tmp / METRICS).write_bytes(msgspec.json.format(msgspec.json.encode(metrics)) + b"\n")
        (tmp / LEDGER).write_text(ledger_sha256 + "\n")
        if counts is not None:
            counts.save(tmp / COUNTS)


REBUILD = "rebuild it with `make model` (or `git checkout` the shipped one)"


def _npz_error(path: Path, e: Exception) -> BadCheckpoint:
    """One sentence for an npz that does not load: numpy's own words suggest allow_pickle."""
    return BadCheckpoint(f"{path} is not a valid npz file ({type(e).__name__}); {REBUILD}.")


def read_shipped(ckpt_dir: Path) -> tuple[ModelConfig, dict[str, np.ndarray]]:
    if not (ckpt_dir / WEIGHTS).exists():
        raise NoCheckpoint(f"no model checkpoint in {ckpt_dir}: run `make model`.")
    cfg = ModelConfig.load(ckpt_dir / CONFIG)
    try:
        with np.load(ckpt_dir / WEIGHTS) as z:
            qflat = {k: z[k] for k in z.files}
    except (OSError, ValueError, KeyError, zipfile.BadZipFile) as e:
        raise _npz_error(ckpt_dir / WEIGHTS, e) from e
    return cfg, qflat


def read_counts(ckpt_dir: Path) -> Any:
    """The count model shipped beside the net, or None when there is none."""
    from engine.bytelm.ngram import CountModel

    path = ckpt_dir / COUNTS
    if not path.exists():
        return None
    try:
        return CountModel.load(path)
    except (OSError, KeyError, zipfile.BadZipFile) as e:
        raise _npz_error(path, e) from e
    except ValueError as e:  # an older format or a missing gate.json: CountModel says which
        raise BadCheckpoint(f"{ckpt_dir}: {e}") from e


def read_metrics(ckpt_dir: Path) -> dict[str, Any]:
    path = ckpt_dir / METRICS
    return json.loads(path.read_text()) if path.exists() else {}


def describe_shipped(ckpt_dir: Path) -> str:
    """One line for `rusta doctor`, without importing JAX: what is shipped, or how to get it."""
    if not (ckpt_dir / WEIGHTS).exists():
        return "no model checkpoint: run `make model`."
    try:
        cfg = ModelConfig.load(ckpt_dir / CONFIG)
    except BadCheckpoint as e:
        return f"model checkpoint in {ckpt_dir} is unreadable: {e}"
    m = read_metrics(ckpt_dir)
    size = (ckpt_dir / WEIGHTS).stat().st_size / 1e6
    return (
        f"byte LM `{cfg.name}` ({size:.1f} MB int8), step {m.get('step', '?')}, "
        f"validation {m.get('valid_bpb', '?')} bpb net alone, {m.get('valid_bpb_mixed', '?')} bpb with counts"
    )
