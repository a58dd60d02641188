"""Train the byte LM: `python -m engine.bytelm.train --preset small --ship` (what `make model` runs).

AdamW with warmup + cosine decay and global-norm clipping; data parallel over a `jax.sharding`
Mesh of every local device (one CPU here, eight GPUs elsewhere: the same code, and several hosts
once `jax.distributed.initialize()` has run, which happens when JAX_COORDINATOR_ADDRESS is set).
Batches are a pure function of (seed, step), so a run resumed from an orbax checkpoint after a
kill -9 sees exactly the data it would have seen. Compiled programs go to JAX's persistent cache.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import sys
import time
from pathlib import Path
from typing import Any

import numpy as np

from engine.bytelm import checkpoint
from engine.bytelm.config import PRESETS, ModelConfig, preset
from engine.bytelm.data.collate import pack_documents, sample_batch
from engine.bytelm.data.corpus import DEFAULT_REGISTRY, load_manifest, snapshot
from engine.bytelm.errors import NoCorpus
from engine.bytelm.paths import jax_cache_dir, runs_dir, shipped_dir, snapshot_dir
from engine.bytelm.types import TrainMetrics

LN2 = math.log(2.0)


def setup_jax() -> None:
    import jax

    if os.environ.get("JAX_COORDINATOR_ADDRESS"):
        jax.distributed.initialize()
    jax.config.update("jax_compilation_cache_dir", str(jax_cache_dir()))
    jax.config.update("jax_persistent_cache_min_compile_time_secs", 0.5)


def make_tx(cfg: ModelConfig, total_steps: int) -> Any:
    import jax
    import optax

    schedule = optax.warmup_cosine_decay_schedule(
        0.0, cfg.lr, min(cfg.warmup, max(1, total_steps // 10)), max(total_steps, 2), end_value=cfg.lr * 0.1
    )

    def decay_mask(params: Any) -> Any:  # decay matrices only, not embeddings or norm scales
        return jax.tree_util.tree_map_with_path(lambda p, _: "kernel" in jax.tree_util.keystr(p), params)

    return optax.chain(
        optax.clip_by_global_norm(cfg.clip),
        optax.adamw(schedule, b1=0.9, b2=0.95, weight_decay=cfg.weight_decay, mask=decay_mask),
    )


def nll_bits(graphdef: Any, params: Any, batch_BxL: Any) -> Any:
    """Mean negative log-likelihood of batch[:, 1:] given batch[:, :-1], in bits per byte."""
    import jax
    import jax.numpy as jnp
    from flax import nnx

    tokens = batch_BxL.astype(jnp.int32)
    logits_BxLxV = nnx.merge(graphdef, params)(tokens[:, :-1])
    logp = jax.nn.log_softmax(logits_BxLxV.astype(jnp.float32), axis=-1)
    nll = -jnp.take_along_axis(logp, tokens[:, 1:, None], axis=-1)[..., 0]
    return jnp.mean(nll) / LN2


def make_steps(graphdef: Any, tx: Any, mesh: Any) -> tuple[Any, Any]:
    """Jitted (train_step, eval_step): parameters replicated, batches split along the mesh's data axis."""
    import jax
    import optax
    from jax.sharding import NamedSharding
    from jax.sharding import PartitionSpec as P

    repl, data = NamedSharding(mesh, P()), NamedSharding(mesh, P("data"))

    def train_step(state: dict, batch_BxL: jax.Array) -> tuple[dict, jax.Array]:
        loss, grads = jax.value_and_grad(lambda p: nll_bits(graphdef, p, batch_BxL))(state["params"])
        updates, opt = tx.update(grads, state["opt"], state["params"])
        return {"params": optax.apply_updates(state["params"], updates), "opt": opt}, loss

    train = jax.jit(train_step, in_shardings=(repl, data), out_shardings=(repl, repl), donate_argnums=0)
    evaluate = jax.jit(lambda p, b: nll_bits(graphdef, p, b), in_shardings=(repl, data), out_shardings=repl)
    return train, evaluate


def restore_float(cfg: ModelConfig, run_dir: Path) -> tuple[int, dict[str, np.ndarray]] | None:
    """(step, float32 weights by name) of the newest training checkpoint in `run_dir`, or None.

    Only int8 ships; the float weights live in the run dir of whoever trained, and the bench's
    int8-vs-float row reads them from there."""
    if not run_dir.is_dir():
        return None
    import jax
    from flax import nnx

    from engine.bytelm import model as bytelm_model
    from engine.bytelm import quant

    _, params = nnx.split(bytelm_model.abstract(cfg), nnx.Param)
    tx = make_tx(cfg, cfg.steps)  # the optimizer state's shapes do not depend on the schedule
    mngr = checkpoint.manager(run_dir)
    try:
        restored = checkpoint.restore_latest(
            mngr, jax.eval_shape(lambda: {"params": params, "opt": tx.init(params)})
        )
    finally:
        mngr.close()
    if restored is None:
        return None
    step, state = restored
    return step, {k: np.asarray(v, np.float32) for k, v in quant.flat_params(state["params"]).items()}


def load_split(snap: Path, split: str) -> np.ndarray:
    path = snap / f"{split}.bin"
    if not path.exists():
        raise NoCorpus(f"no {split}.bin in {snap}: run `rusta data snapshot` first.")
    return np.fromfile(path, dtype=np.uint8)


def eval_windows(stream: np.ndarray, ctx: int, limit: int) -> np.ndarray:
    docs = bytes(stream).strip(b"\x00").split(b"\x00")
    return pack_documents(docs, ctx)[:limit]


def batched_bpb(evaluate: Any, params: Any, windows: np.ndarray, batch: int) -> float:
    """Mean bpb over whole batches of windows (the remainder is dropped so shapes stay fixed)."""
    n = (len(windows) // batch) * batch
    vals = [float(evaluate(params, windows[i : i + batch])) for i in range(0, n, batch)]
    return float(np.mean(vals)) if vals else float("nan")


def fit_counts(
    cfg: ModelConfig,
    qflat: dict[str, np.ndarray],
    train_stream: np.ndarray,
    valid_stream: np.ndarray,
    metrics: TrainMetrics,
    n_files: int,
) -> tuple[Any, TrainMetrics]:
    """Count the training split, fit the gate on half the validation files, report on the other half.

    Files are cut to 48 KiB and shorter than 512 bytes are skipped, as in the bench, so the gate
    is fit to the kind of file it is measured on.
    """
    import msgspec

    from engine.bytelm import gatefit, ngram
    from engine.bytelm.infer import LM

    t0 = time.monotonic()
    counts = ngram.build(train_stream)
    docs = [d[: 48 * 1024] for d in bytes(valid_stream).strip(b"\x00").split(b"\x00") if len(d) >= 512]
    docs = docs[:n_files]
    net = LM(cfg, qflat)
    samples = list(zip(docs, net.score_batch(docs), strict=True))
    fit_on, report_on = samples[0::2], samples[1::2]
    gatefit.fit_gate(counts, fit_on)
    mixed = gatefit.per_file_bpb(counts, report_on)
    net_only = float(np.mean([-lp.mean() / LN2 for _, lp in report_on]))
    print(
        f"count model: {time.monotonic() - t0:.0f}s; on {len(report_on)} validation files not used for the "
        f"gate: {net_only:.3f} bpb per file net alone, {mixed:.3f} bpb with counts",
        file=sys.stderr,
        flush=True,
    )
    return counts, msgspec.structs.replace(metrics, valid_bpb_mixed=round(mixed, 4))


PROGRESS_KEPT = 8  # saves remembered in progress.json; orbax may finish an older one than the last


def _read_progress(run_dir: Path, step: int) -> dict[str, float]:
    """Loss and wall time recorded at `step`, so metrics survive a resume (a hint, not state).

    Orbax saves in the background, so a kill can leave progress.json one save ahead of the newest
    complete checkpoint: entries are kept per step and only the restored step's is used."""
    try:
        entries = json.loads((run_dir / "progress.json").read_text())
    except (OSError, ValueError):
        return {}
    entry = entries.get(str(step)) if isinstance(entries, dict) else None
    return entry if isinstance(entry, dict) else {}


def _write_progress(run_dir: Path, step: int, loss_ema: float, wall_s: float) -> None:
    path = run_dir / "progress.json"
    try:
        entries = json.loads(path.read_text())
    except (OSError, ValueError):
        entries = {}
    if not isinstance(entries, dict) or "step" in entries:  # the one-entry format before per-step
        entries = {}
    entries[str(step)] = {"loss_ema": loss_ema, "wall_s": wall_s}
    entries = dict(sorted(entries.items(), key=lambda kv: int(kv[0]))[-PROGRESS_KEPT:])
    tmp = run_dir / "progress.json.tmp"
    tmp.write_text(json.dumps(entries))
    tmp.replace(path)


def _fmt_eta(seconds: float) -> str:
    m, s = divmod(int(seconds), 60)
    return f"{m // 60}h{m % 60:02d}m" if m >= 60 else f"{m}m{s:02d}s"


def train(args: argparse.Namespace) -> TrainMetrics:
    setup_jax()
    import jax
    from flax import nnx
    from jax.sharding import Mesh

    from engine.bytelm import model as bytelm_model
    from engine.bytelm import quant

    cfg = preset(args.preset)
    total = args.steps or cfg.steps
    n_dev = jax.device_count()
    batch = max(n_dev, (args.batch or cfg.batch) // n_dev * n_dev)
    snap = args.snapshot or snapshot_dir()
    if not (snap / "snapshot.json").exists():
        print(f"building corpus snapshot in {snap}", file=sys.stderr, flush=True)
        snapshot(args.registry or DEFAULT_REGISTRY, snap)
    manifest = load_manifest(snap)
    train_stream, valid_stream = load_split(snap, "train"), load_split(snap, "valid")

    mesh = Mesh(np.array(jax.devices()), ("data",))
    model = bytelm_model.build(cfg, seed=cfg.seed)
    n_params = bytelm_model.count_params(model)
    graphdef, params = nnx.split(model, nnx.Param)
    tx = make_tx(cfg, total)
    state = {"params": params, "opt": tx.init(params)}
    run_dir = args.run_dir or runs_dir(cfg.name)
    mngr = checkpoint.manager(run_dir)
    start = 0
    restored = checkpoint.restore_latest(mngr, jax.eval_shape(lambda: state))
    progress: dict[str, float] = {}
    if restored is not None:
        start, state = restored
        progress = _read_progress(run_dir, start)
        print(f"resumed from step {start} ({run_dir})", file=sys.stderr, flush=True)
    train_step, evaluate = make_steps(graphdef, tx, mesh)
    print(
        f"training {cfg.name}: {n_params / 1e6:.2f}M params, {n_dev} device(s), batch {batch} x {cfg.ctx}, "
        f"steps {start}->{total}, corpus {train_stream.size / 1e6:.1f} MB",
        file=sys.stderr,
        flush=True,
    )
    t0 = time.monotonic()
    loss_ema, step = float(progress.get("loss_ema", "nan")), start
    wall_before = float(progress.get("wall_s", 0.0))
    deadline = t0 + args.minutes * 60 if args.minutes else math.inf
    while step < total:
        rng = np.random.default_rng([cfg.seed, step])
        state, loss = train_step(state, sample_batch(train_stream, batch, cfg.ctx, rng, cfg.fim_rate))
        step += 1
        if step % args.log_every == 0 or step == total:
            lv = float(loss)
            loss_ema = lv if math.isnan(loss_ema) else 0.9 * loss_ema + 0.1 * lv
            rate = (step - start) * batch * cfg.ctx / (time.monotonic() - t0)
            eta = (total - step) * batch * cfg.ctx / rate
            print(
                f"step {step}/{total}  loss {loss_ema:.3f} bpb  {rate / 1e3:.1f}k bytes/s  eta {_fmt_eta(eta)}",
                file=sys.stderr,
                flush=True,
            )
        if step % args.save_every == 0 or step == total or time.monotonic() > deadline:
            checkpoint.save(mngr, step, state)
            _write_progress(run_dir, step, loss_ema, wall_before + time.monotonic() - t0)
            print(f"saved step {step}", file=sys.stderr, flush=True)
        if time.monotonic() > deadline:
            print(f"time budget of {args.minutes} min reached at step {step}", file=sys.stderr, flush=True)
            break
    mngr.wait_until_finished()
    mngr.close()
    wall = wall_before + time.monotonic() - t0

    windows = eval_windows(valid_stream, cfg.ctx, args.eval_windows)
    valid_bpb = batched_bpb(evaluate, state["params"], windows, batch)
    qflat = quant.quantize(quant.flat_params(state["params"]))
    q_params = quant.state_from_flat(state["params"], quant.dequantize(qflat))
    valid_int8 = batched_bpb(evaluate, q_params, windows, batch)
    metrics = TrainMetrics(
        preset=cfg.name,
        step=step,
        tokens_seen=step * batch * cfg.ctx,
        train_loss_bpb=round(loss_ema, 4),
        valid_bpb=round(valid_bpb, 4),
        valid_bpb_int8=round(valid_int8, 4),
        wall_s=round(wall, 1),
        params=n_params,
        ledger_sha256=manifest.ledger_sha256,
    )
    print(
        f"valid {valid_bpb:.4f} bpb float, {valid_int8:.4f} bpb int8 on {len(windows)} windows",
        file=sys.stderr,
    )
    if args.ship and step < total and not args.ship_partial:
        print(
            f"stopped at step {step} of {total}: the shipped checkpoint is left as it is. Run the same "
            "command again to resume (add --ship-partial to ship this step anyway).",
            file=sys.stderr,
        )
    elif args.ship:
        counts, metrics = fit_counts(cfg, qflat, train_stream, valid_stream, metrics, args.eval_files)
        out = args.out or shipped_dir(cfg.name)
        checkpoint.write_shipped(out, cfg, qflat, metrics, manifest.ledger_sha256, counts)
        print(f"shipped {out} ({quant.nbytes(qflat) / 1e6:.1f} MB int8)", file=sys.stderr)
    return metrics


def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="python -m engine.bytelm.train", description=__doc__.splitlines()[0])
    p.add_argument("--preset", choices=sorted(PRESETS), default="small")
    p.add_argument("--steps", type=int, default=0, help="total steps (default: the preset's)")
    p.add_argument("--batch", type=int, default=0, help="global batch (default: the preset's)")
    p.add_argument(
        "--minutes",
        type=float,
        default=0.0,
        help="stop the training loop (and save) after this much wall time; evaluation and the count "
        "model (about 5 min for small) come after it",
    )
    p.add_argument("--save-every", type=int, default=100)
    p.add_argument("--log-every", type=int, default=10)
    p.add_argument("--eval-windows", type=int, default=256)
    p.add_argument("--eval-files", type=int, default=200, help="validation files for the count-model gate")
    p.add_argument("--snapshot", type=Path, default=None, help="corpus snapshot dir (built if missing)")
    p.add_argument("--registry", type=Path, default=None)
    p.add_argument("--run-dir", type=Path, default=None, help="orbax checkpoints (default: Rusta's cache)")
    p.add_argument(
        "--ship", action="store_true", help="when all steps are done, write the int8 checkpoint into the repo"
    )
    p.add_argument(
        "--ship-partial",
        action="store_true",
        help="with --ship: ship even if --minutes stopped training early",
    )
    p.add_argument(
        "--out",
        type=Path,
        default=None,
        help="where --ship writes (default engine/bytelm/checkpoints/PRESET)",
    )
    return p


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        train(args)
    except NoCorpus as e:
        print(f"rusta: {e}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
