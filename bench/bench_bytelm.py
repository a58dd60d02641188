"""Byte LM bench: bits per byte on held-out crates (model vs xz -9e vs gzip -9, per file, same files),
scoring throughput float vs int8, load + first score time, infill exact match, tiny int8 speed.

Held-out crates (see engine.bytelm.data.corpus.HELD_OUT) are read here and only here: never
trained on, never written. `gzip -9` and `xz -9e` run as real processes through `run_limited`.
"""

from __future__ import annotations

import math
import os
import sys
import time
from pathlib import Path

import numpy as np

from bench.quick import quick, size
from engine.bytelm.data.corpus import DEFAULT_REGISTRY, canonical, held_out_files
from engine.bytelm.paths import shipped_dir
from toolbelt.process import run_limited

MAX_FILE = 48 * 1024
MIN_FILE = 512
PER_CRATE = 3
INFILL_SPANS = size(40, 1)


def bench_files(registry: Path = DEFAULT_REGISTRY) -> list[Path]:
    """Up to 3 files per held-out crate, 0.5-48 KiB, in a fixed order: the same files for every row."""
    picked: dict[str, list[Path]] = {}
    for p in held_out_files(registry):
        crate = canonical(p.relative_to(registry).parts[0].rsplit("-", 1)[0])
        if MIN_FILE <= p.stat().st_size <= MAX_FILE and len(picked.setdefault(crate, [])) < PER_CRATE:
            picked[crate].append(p)
    return [p for files in picked.values() for p in files]


def compressed_bpb(argv: list[str], data: bytes) -> float:
    res = run_limited(argv, cwd="/", stdin=data, timeout_s=120)
    if res.outcome != "ok":
        raise RuntimeError(f"{argv[0]} failed: {res.stderr[-200:]!r}")
    return 8.0 * len(res.stdout) / len(data)


def infill_spans(datas: list[bytes], n: int) -> list[tuple[bytes, bytes, bytes]]:
    """(prefix, middle, suffix) for single-line spans: a code line's text after its indentation."""
    spans = []
    rng = np.random.default_rng(0)
    for data in datas:
        lines = data.split(b"\n")
        cands = [
            i for i, ln in enumerate(lines) if 8 <= len(ln.strip()) <= 60 and not ln.strip().startswith(b"//")
        ]
        for i in rng.permutation(cands)[:2]:
            ln = lines[i]
            indent = ln[: len(ln) - len(ln.lstrip())]
            prefix = b"\n".join(lines[:i]) + b"\n" + indent
            suffix = b"\n" + b"\n".join(lines[i + 1 :])
            spans.append((prefix, ln.strip(), suffix))
    return spans[:n]


def _throughput(lm: object, datas: list[bytes], runs: int = size(3, 1)) -> float:
    """Bytes/s of the numpy scoring path (net only when lm was loaded with mix=False), the best of
    `runs`: on cores shared with other jobs the fastest run is the one least disturbed."""
    lm.score_batch(datas[:2])  # warm caches and pages; there is nothing to compile
    best = float("inf")
    for _ in range(runs):
        t0 = time.perf_counter()
        n = sum(len(x) for x in lm.score_batch(datas))
        best = min(best, time.perf_counter() - t0)
    return n / best


def _load_and_first_score(ckpt: Path, sample: Path) -> float:
    code = (
        "import time; t=time.perf_counter(); from engine.bytelm.infer import LM; from pathlib import Path; "
        f"lm=LM.load(Path({str(ckpt)!r})); lm.score(Path({str(sample)!r}).read_bytes()[:4096]); "
        "print(time.perf_counter()-t)"
    )
    res = run_limited([sys.executable, "-c", code], cwd=Path(__file__).resolve().parents[1], timeout_s=300)
    return float(res.stdout.decode().strip().splitlines()[-1]) if res.outcome == "ok" else float("nan")


def _tiny_int8_speed(sample: bytes) -> tuple[int, float, float]:
    """(params, int8 MB, bytes/s) of an untrained `tiny` quantized to int8; it is built, never trained."""
    from engine.bytelm import config, quant
    from engine.bytelm.infer import LM
    from engine.bytelm.model import build, count_params

    cfg = config.tiny()
    net = build(cfg)
    params = count_params(net)
    flat = {k: np.asarray(v) for k, v in quant.flat_params(net).items()}
    del net
    q = quant.quantize(flat)
    del flat
    lm = LM(cfg, q)
    lm.score(sample[: cfg.ctx])
    t0 = time.perf_counter()
    lm.score(sample)
    return params, quant.nbytes(q) / 1e6, len(sample) / (time.perf_counter() - t0)


def _float_weights(net8: object, metrics: dict) -> tuple[int, dict[str, np.ndarray]] | None:
    """The float32 weights the shipped int8 came from, if this machine trained them (same step)."""
    from engine.bytelm.paths import runs_dir
    from engine.bytelm.train import restore_float

    run = restore_float(net8.cfg, runs_dir(net8.cfg.name))
    return run if run and run[0] == metrics.get("step") else None


def _bpb(lp: np.ndarray) -> float:
    return float(-lp.mean() / math.log(2))


def run() -> dict:
    ckpt = shipped_dir("small")
    files = bench_files()[: size(10**6, 2)]
    datas = [p.read_bytes()[: size(MAX_FILE, 1024)] for p in files]
    total = sum(map(len, datas))
    # the compressors run before JAX is imported: forking a process that runs XLA threads is unsafe
    xz = [compressed_bpb(["xz", "-9e", "-c"], d) for d in datas]
    gz = [compressed_bpb(["gzip", "-9", "-c", "-n"], d) for d in datas]
    load_s = _load_and_first_score(ckpt, files[0])

    from engine.bytelm.checkpoint import read_metrics
    from engine.bytelm.infer import LM

    shipped = LM.load(ckpt)  # int8 net + count model: what `rusta lm` uses
    net8 = LM.load(ckpt, mix=False)
    metrics = read_metrics(ckpt)
    float_run = None if quick() else _float_weights(net8, metrics)  # quick: no JAX import
    netf = LM(net8.cfg, float_run[1]) if float_run else LM.load(ckpt, quantized=False, mix=False)
    t0 = time.perf_counter()
    net_lps = net8.score_batch(datas)
    net_s = time.perf_counter() - t0
    t0 = time.perf_counter()
    mixed_lps = shipped.score_batch(datas)  # what `rusta lm bpb` runs: the net again, then the counts
    mixed_s = time.perf_counter() - t0
    # ablation: the same gate and tables with the net replaced by a uniform guess (what the net adds)
    uniform = [np.full(len(d), -math.log(256.0), np.float32) for d in datas]
    counts_lps = [shipped.counts.logp(d, u) for d, u in zip(datas, uniform, strict=True)]
    per_file = [
        {
            "file": str(p.relative_to(DEFAULT_REGISTRY)),
            "bytes": len(d),
            "shipped": round(_bpb(m), 3),
            "net": round(_bpb(n), 3),
            "counts": round(_bpb(c), 3),
            "xz": round(x, 3),
            "gzip": round(g, 3),
        }
        for p, d, n, m, c, x, g in zip(files, datas, net_lps, mixed_lps, counts_lps, xz, gz, strict=True)
    ]
    rows = []
    labels = (
        ("shipped", "bytelm small: int8 net + counts (shipped)"),
        ("net", "bytelm small: int8 net alone"),
        ("counts", "bytelm small: counts alone (net replaced by uniform, gate as shipped)"),
        ("xz", "xz -9e per file"),
        ("gzip", "gzip -9 per file"),
    )
    for key, label in labels:
        vals = [r[key] for r in per_file]
        weighted = sum(r[key] * r["bytes"] for r in per_file) / total
        rows.append(
            {"row": label, "files": len(per_file), "bytes": total, "mean bpb per file": round(float(np.mean(vals)), 3),
             "byte-weighted bpb": round(weighted, 3),
             "shipped wins": sum(r["shipped"] < r[key] for r in per_file) if key != "shipped" else ""}
        )  # fmt: skip
    sample = datas[:12]
    if float_run:  # quantization on the bench files: the net alone, the trained floats against int8
        f_bpb = [_bpb(lp) for lp in netf.score_batch(datas)]
        rows.append(
            {"row": f"bytelm small: float32 net alone (orbax run, step {float_run[0]}; only int8 ships)",
             "files": len(per_file), "bytes": total, "mean bpb per file": round(float(np.mean(f_bpb)), 3),
             "byte-weighted bpb": round(sum(b * len(d) for b, d in zip(f_bpb, datas, strict=True)) / total, 3),
             "shipped wins": sum(r["shipped"] < b for r, b in zip(per_file, f_bpb, strict=True))}
        )  # fmt: skip
        q_mean, f_mean = float(np.mean([_bpb(lp) for lp in net_lps])), float(np.mean(f_bpb))
        quant_note = (
            f"int8 vs float32 on these files, net alone: {q_mean:.4f} vs {f_mean:.4f} bpb per file "
            f"({100 * (q_mean - f_mean) / f_mean:+.2f}%); the float weights come from the training run dir"
        )
    else:
        quant_note = (
            "int8 vs float32: no float weights on this machine (only int8 ships; they stay in the run dir of "
            f"whoever trained); at ship time: valid {metrics.get('valid_bpb')} bpb float vs "
            f"{metrics.get('valid_bpb_int8')} int8"
        )
    rate_f, rate_q = _throughput(netf, sample), _throughput(net8, sample)
    rate_mixed = total / mixed_s
    kind = "trained float32 weights" if float_run else "int8 weights dequantized, as no float ones are here"
    rows.append({"row": f"scoring throughput: {kind}, numpy", "bytes/s": round(rate_f)})
    rows.append(
        {
            "row": "scoring throughput: int8 checkpoint, numpy (dequantized once at load: the same float32 kernels)",
            "bytes/s": round(rate_q),
        }
    )
    rows.append({"row": "scoring throughput: int8 net + counts (all files)", "bytes/s": round(rate_mixed),
                 "net alone s": round(net_s, 1), "net + counts s": round(mixed_s, 1)})  # fmt: skip
    spans = infill_spans(datas, INFILL_SPANS)
    # quick: one model and a few decoded bytes prove the infill path (JAX compile and KV cache) runs
    infills = (("shipped", shipped),) if quick() else (("shipped", shipped), ("net alone", net8))
    for name, lm in infills:
        exact = sum(
            lm.infill(pre, suf, max_bytes=size(min(lm.cfg.ctx // 3, len(mid) + 16), 4), stop=b"\n") == mid
            for pre, mid, suf in spans
        )
        rows.append({"row": f"infill exact match, single line, greedy ({name})", "spans": len(spans),
                     "exact": exact, "rate": round(exact / max(1, len(spans)), 3)})  # fmt: skip
    rows.append({"row": "load + first score (small, fresh process, 4 KiB)", "seconds": round(load_s, 2)})
    tiny_params, tiny_mb, tiny_rate = (0, 0.0, 0.0) if quick() else _tiny_int8_speed(b"".join(datas)[:2048])
    rows.append({"row": "tiny int8 scoring (untrained, ctx 1024)", "params": tiny_params, "int8 MB": round(tiny_mb, 1),
                 "bytes/s": round(tiny_rate)})  # fmt: skip
    return {
        "title": "byte LM on held-out crates (bits per byte, lower is better)",
        "rows": rows,
        "per_file": per_file,
        "notes": [
            f"checkpoint {ckpt}: step {metrics.get('step')}, {metrics.get('tokens_seen')} training bytes, "
            f"valid bpb net {metrics.get('valid_bpb')}, mixed {metrics.get('valid_bpb_mixed')}, "
            f"ledger {str(metrics.get('ledger_sha256', ''))[:12]}",
            quant_note,
            f"{len(os.sched_getaffinity(0))} CPU cores visible, shared with other jobs: throughputs are lower bounds",
            f"scoring is numpy, {net8.workers} thread(s) of one BLAS thread each, no JAX (engine/bytelm/npnet.py); "
            f"windows of ctx {net8.cfg.ctx} "
            f"at stride {net8.stride}; both throughput rows run float32 kernels (int8 is dequantized once at load), "
            "so int8 shrinks the file, not the work",
        ],
    }
