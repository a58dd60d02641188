"""`python -m engine.bytelm.selfcheck [DIR]`: load the shipped byte LM and score a known snippet.

Why a process of its own: `rusta doctor` lives in toolbelt, which imports no ML, and a checkpoint
that is present is not one that works (an older count-model format, a truncated npz). Loading it
and scoring real bytes is the only honest check. Prints one JSON object; exit 0 when it works.
"""

from __future__ import annotations

import json
import math
import sys
import time
from pathlib import Path

SAMPLE = b"""use std::collections::HashMap;

/// Counts how often each word occurs.
pub fn word_counts(text: &str) -> HashMap<&str, usize> {
    let mut counts = HashMap::new();
    for word in text.split_whitespace() {
        *counts.entry(word).or_insert(0) += 1;
    }
    counts
}
"""


def check(ckpt_dir: Path | None = None) -> dict:
    t0 = time.perf_counter()
    try:
        from engine.bytelm.checkpoint import read_metrics
        from engine.bytelm.infer import LM
        from engine.bytelm.paths import shipped_dir

        where = ckpt_dir or shipped_dir("small")
        lm = LM.load(where)
        bpb = float(-lm.score(SAMPLE).mean() / math.log(2))
    except Exception as e:  # every failure is the answer here, reported, not raised
        return {"ok": False, "error": str(e) or type(e).__name__}
    return {
        "ok": bool(math.isfinite(bpb)),
        "preset": lm.cfg.name,
        "step": read_metrics(where).get("step"),
        "sample_bpb": round(bpb, 3),
        "counts": lm.counts is not None,
        "seconds": round(time.perf_counter() - t0, 2),
    }


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    out = check(Path(args[0]) if args else None)
    print(json.dumps(out))
    return 0 if out["ok"] else 1


if __name__ == "__main__":
    sys.exit(main())
