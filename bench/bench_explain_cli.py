"""Cold start of `rusta explain` on the demo crate with a warm target dir: the whole command as a user
runs it (a fresh interpreter each time), next to cargo clippy alone, so Rusta's own share is visible.

The goal is <= 1 s, the bar <= 2 s. Wall times depend on the machine's load; the notes record it.
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench.quick import size
from toolbelt.cargo_run import cargo_env
from toolbelt.demo import reset
from toolbelt.paths import target_dir_for

RUNS = size(5, 1)


def _time(argv: list[str], cwd: Path, env: dict[str, str]) -> list[float]:
    out = []
    for _ in range(RUNS):
        t = time.perf_counter()
        subprocess.run(argv, cwd=cwd, env=env, capture_output=True, check=False)
        out.append(time.perf_counter() - t)
    return out


def _row(what: str, xs: list[float]) -> dict:
    return {
        "command": what,
        "runs": len(xs),
        "median_s": round(statistics.median(xs), 3),
        "min_s": round(min(xs), 3),
        "max_s": round(max(xs), 3),
    }


def run() -> dict:
    with tempfile.TemporaryDirectory(prefix="rusta-bench-explain-cli-") as tmp:
        env = dict(os.environ, RUSTA_CACHE_DIR=str(Path(tmp) / "cache"))
        os.environ["RUSTA_CACHE_DIR"] = env["RUSTA_CACHE_DIR"]
        crate = reset(Path(tmp) / "examples-demo")
        rusta = [sys.executable, "-m", "rusta_tui.cli.main", "explain", str(crate)]
        subprocess.run(rusta, cwd=tmp, env=env, capture_output=True, check=False)  # warm the target dir
        rows = [
            _row("rusta explain DEMO (pair)", _time(rusta, Path(tmp), env)),
            _row("rusta explain DEMO --json", _time([*rusta, "--json"], Path(tmp), env)),
            _row("rusta explain DEMO --no-log", _time([*rusta, "--no-log"], Path(tmp), env)),
            _row(
                "cargo clippy alone (same target dir)",
                _time(
                    ["cargo", "clippy", "--message-format=json", "--quiet", "--all-targets"],
                    crate,
                    cargo_env(target_dir_for(crate)),
                ),
            ),
            _row("python -c pass", _time([sys.executable, "-c", "pass"], Path(tmp), env)),
        ]
    load = os.getloadavg()[0]
    return {
        "title": "rusta explain cold start (warm target dir, demo crate)",
        "rows": rows,
        "notes": [
            f"{RUNS} runs each, a fresh interpreter per run; load average {load:.1f} on {os.cpu_count()} CPUs.",
            "Goal <= 1 s, bar <= 2 s. The gap between `rusta explain` and `cargo clippy alone` is Rusta's "
            "share: interpreter start, imports, explaining, rendering, and the DevLog record.",
        ],
    }
