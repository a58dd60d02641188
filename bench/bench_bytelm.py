"""Byte LM bench: bits per byte on held-out crates (model vs xz -9e vs gzip -9, per file, same files),
scoring throughput float vs int8, load + first score time, infill exact match, tiny int8 speed.

Held-out crates (see engine.bytelm.data.corpus.HELD_OUT) are read here and only here: never
trained on, never written. `gzip -9` and `xz -9e` run as real processes through `run_limited`.
"""

from __future__ import annotations

import math
import os
import subprocess
import sys
import time
from pathlib import Path

import numpy as np

from engine.bytelm.data.corpus import DEFAULT_REGISTRY, canonical, held_out_files
from engine.bytelm.paths import shipped_dir
from toolbelt.process import run_limited

MAX_FILE = 48 * 1024
MIN_FILE = 512
PER_CRATE = 3
INFILL_SPANS = 40


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


def _throughput(lm: object, datas: list[bytes]) -> float:
    lm.score_batch(datas[:2])  # compile
    t0 = time.perf_counter()
    n = sum(len(x) for x in lm.score_batch(datas))
    return n / (time.perf_counter() - t0)


def _load_and_first_score(ckpt: Path, sample: Path) -> float:
    code = (
        "import time; t=time.perf_counter(); from engine.bytelm.infer import LM; from pathlib import Path; "
        f"lm=LM.load(Path({str(ckpt)!r})); lm.score(Path({str(sample)!r}).read_bytes()[:4096]); "
        "print(time.perf_counter()-t)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=dict(os.environ))
    return float(out.stdout.strip().splitlines()[-1]) if out.returncode == 0 else float("nan")


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


def run() -> dict:
    from engine.bytelm.checkpoint import read_metrics
    from engine.bytelm.infer import LM

    ckpt = shipped_dir("small")
    files = bench_files()
    datas = [p.read_bytes() for p in files]
    total = sum(map(len, datas))
    lm8 = LM.load(ckpt, quantized=True)
    lmf = LM.load(ckpt, quantized=False)
    per_file = []
    model_bpb = [float(-lp.mean() / math.log(2)) for lp in lm8.score_batch(datas)]
    for p, data, mb in zip(files, datas, model_bpb, strict=True):
        per_file.append(
            {
                "file": str(p.relative_to(DEFAULT_REGISTRY)),
                "bytes": len(data),
                "model": round(mb, 3),
                "xz": round(compressed_bpb(["xz", "-9e", "-c"], data), 3),
                "gzip": round(compressed_bpb(["gzip", "-9", "-c", "-n"], data), 3),
            }
        )
    rows = []
    for key, label in (
        ("model", "bytelm small (int8)"),
        ("xz", "xz -9e per file"),
        ("gzip", "gzip -9 per file"),
    ):
        vals = [r[key] for r in per_file]
        weighted = sum(r[key] * r["bytes"] for r in per_file) / total
        wins = sum(r["model"] < r[key] for r in per_file) if key != "model" else None
        rows.append(
            {"row": label, "files": len(per_file), "bytes": total, "mean bpb per file": round(float(np.mean(vals)), 3),
             "byte-weighted bpb": round(weighted, 3), "model wins": wins if wins is not None else ""}
        )  # fmt: skip
    sample = datas[: min(len(datas), 12)]
    sample_f = [float(-lp.mean() / math.log(2)) for lp in lmf.score_batch(sample)]
    sample_q = [float(-lp.mean() / math.log(2)) for lp in lm8.score_batch(sample)]
    rel = abs(np.mean(sample_q) - np.mean(sample_f)) / np.mean(sample_f)
    rate_f, rate_q = _throughput(lmf, sample), _throughput(lm8, sample)
    rows.append(
        {
            "row": "scoring throughput float32",
            "bytes/s": round(rate_f),
            "bpb (12 files)": round(float(np.mean(sample_f)), 4),
        }
    )
    rows.append(
        {
            "row": "scoring throughput int8",
            "bytes/s": round(rate_q),
            "bpb (12 files)": round(float(np.mean(sample_q)), 4),
        }
    )
    spans = infill_spans(datas, INFILL_SPANS)
    exact = sum(
        lm8.infill(pre, suf, max_bytes=min(lm8.cfg.ctx // 3, len(mid) + 16), stop=b"\n") == mid
        for pre, mid, suf in spans
    )
    rows.append({"row": "infill exact match (single line, greedy)", "spans": len(spans), "exact": exact,
                 "rate": round(exact / max(1, len(spans)), 3)})  # fmt: skip
    load_s = _load_and_first_score(ckpt, files[0])
    rows.append({"row": "load + first score (small, fresh process)", "seconds": round(load_s, 2)})
    tiny_params, tiny_mb, tiny_rate = _tiny_int8_speed(b"".join(datas)[:8192])
    rows.append({"row": "tiny int8 scoring (untrained)", "params": tiny_params, "int8 MB": round(tiny_mb, 1),
                 "bytes/s": round(tiny_rate)})  # fmt: skip
    metrics = read_metrics(ckpt)
    return {
        "title": "byte LM on held-out crates (bits per byte, lower is better)",
        "rows": rows,
        "per_file": per_file,
        "notes": [
            f"checkpoint {ckpt}: step {metrics.get('step')}, valid bpb {metrics.get('valid_bpb')}, "
            f"ledger {str(metrics.get('ledger_sha256', ''))[:12]}",
            f"int8 vs float bpb on 12 files: {100 * rel:.2f}% apart",
            f"{len(os.sched_getaffinity(0))} CPU cores visible; the machine is shared, throughputs are lower bounds",
        ],
    }
