"""`rusta check` on a generated 2,000-file workspace: time and peak memory beside raw cargo.

The issue asks that a 2,000-file workspace keep `rusta check` responsive and its memory bounded.
This bench generates one (CRATES member crates of MODULES small modules each, every tenth module
with an unused variable, so there are warnings from every member), warms Rusta's target dir, then
runs, in turn, `rusta check --json` and `cargo clippy --workspace --all-targets
--message-format=json` on that same target dir. Each run is one process reaped with `wait4`, whose
figures are the operating system's: wall, user+sys CPU and the peak resident set of the whole tree
(cargo's and clippy's included). Rusta's own Python process reports its peak separately
(`ru_maxrss` of RUSAGE_SELF, written at exit), the figure that would grow with the diagnostics.
"""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench.quick import quick, size

CRATES = size(20, 2)
MODULES = size(100, 5)
RUNS = size(5, 1)

_SELF_RSS = (
    "import atexit, resource, runpy, sys\n"
    "out = sys.argv.pop(1)\n"
    "atexit.register(lambda: open(out, 'w').write(str(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)))\n"
    "sys.argv[0] = 'rusta'\n"
    "runpy.run_module('rusta_tui.cli.main', run_name='__main__')\n"
)


def generate(into: Path, crates: int = CRATES, modules: int = MODULES) -> Path:
    """A workspace of `crates` members with `modules` modules each; one in ten warns (unused variable)."""
    root = into / "big-workspace"
    members = [f"m{c:02d}" for c in range(crates)]
    root.mkdir(parents=True)
    (root / "Cargo.toml").write_text(
        '[workspace]\nresolver = "2"\nmembers = [' + ", ".join(f'"{m}"' for m in members) + "]\n\n"
        '[workspace.package]\nversion = "0.1.0"\nedition = "2021"\n'
    )
    for m in members:
        src = root / m / "src"
        src.mkdir(parents=True)
        (root / m / "Cargo.toml").write_text(
            f'[package]\nname = "{m}"\nversion.workspace = true\nedition.workspace = true\n'
        )
        (src / "lib.rs").write_text("".join(f"pub mod f{i};\n" for i in range(modules)))
        for i in range(modules):
            body = f"pub fn f{i}(a: u64, b: u64) -> u64 {{\n"
            if i % 10 == 0:
                body += "    let unused = a * 2;\n"
            body += f"    a.wrapping_mul({i + 1}).wrapping_add(b)\n}}\n"
            (src / f"f{i}.rs").write_text(body)
    return root


def _timed(argv: list[str], cwd: Path, env: dict[str, str]) -> dict:
    """One whole-process run reaped with wait4: wall, CPU and peak RSS of its tree."""
    t0 = time.perf_counter()
    with open(os.devnull, "wb") as null:
        proc = subprocess.Popen(argv, cwd=cwd, env=env, stdout=subprocess.PIPE, stderr=null)
        assert proc.stdout is not None
        out = proc.stdout.read()
        _, status, ru = os.wait4(proc.pid, 0)
        proc.returncode = os.waitstatus_to_exitcode(status)
    return {
        "wall": time.perf_counter() - t0,
        "cpu": ru.ru_utime + ru.ru_stime,
        "tree_rss_mb": ru.ru_maxrss / 1024,
        "exit": proc.returncode,
        "lines": out.count(b"\n"),
        "stdout": out,
    }


def run() -> dict:
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONDONTWRITEBYTECODE", "RUSTUP_TOOLCHAIN")}
    with tempfile.TemporaryDirectory(prefix="rusta-bench-workspace-") as tmp:
        tmp_path = Path(tmp)
        env["RUSTA_CACHE_DIR"] = str(tmp_path / "cache")
        root = generate(tmp_path)
        files = sum(1 for _ in root.rglob("*.rs"))
        rss_file = tmp_path / "self_rss"
        rusta = [sys.executable, "-c", _SELF_RSS, str(rss_file), "check", "--json", str(root)]
        t0 = time.perf_counter()
        cold = _timed(rusta, root, env)
        cold_s = time.perf_counter() - t0
        from toolbelt.paths import target_dir_for

        cargo_env = dict(env, CARGO_TARGET_DIR=str(target_dir_for(root)), CARGO_NET_OFFLINE="true")
        cargo = ["cargo", "clippy", "--workspace", "--all-targets", "--message-format=json", "--keep-going"]
        _timed(cargo, root, cargo_env)  # settle anything the first run left
        r_runs, c_runs, self_rss = [], [], []
        for _ in range(RUNS):
            r_runs.append(_timed(rusta, root, env))
            self_rss.append(int(rss_file.read_text()) / 1024)
            c_runs.append(_timed(cargo, root, cargo_env))
        rows_out = [json.loads(x) for x in r_runs[-1]["stdout"].splitlines() if x.strip()]
        raw_warn = sum(
            1
            for x in c_runs[-1]["stdout"].splitlines()
            if b'"reason":"compiler-message"' in x and b'"level":"warning"' in x and b"generated" not in x
        )

    def med(runs: list[dict], key: str) -> float:
        return statistics.median(r[key] for r in runs)

    row = {
        "workspace": f"{CRATES} crates x {MODULES} modules",
        "rs files": files,
        "exit": r_runs[-1]["exit"],
        "diagnostics (rusta)": len(rows_out),
        "warning messages (cargo json, lib + test)": raw_warn,
        "cold rusta s": round(cold_s, 2),
        "cold exit": cold["exit"],
        "cold rusta tree peak rss mb": round(cold["tree_rss_mb"], 1),
        "warm rusta s": round(med(r_runs, "wall"), 3),
        "warm cargo json s": round(med(c_runs, "wall"), 3),
        "overhead s": round(
            statistics.median(r["wall"] - c["wall"] for r, c in zip(r_runs, c_runs, strict=True)), 3
        ),
        "cpu overhead s": round(
            statistics.median(r["cpu"] - c["cpu"] for r, c in zip(r_runs, c_runs, strict=True)), 3
        ),
        "rusta python peak rss mb": round(max(self_rss), 1),
        "rusta tree peak rss mb": round(max(r["tree_rss_mb"] for r in r_runs), 1),
        "cargo tree peak rss mb": round(max(c["tree_rss_mb"] for c in c_runs), 1),
    }
    notes = [
        f"{RUNS} warm runs each, rusta and cargo in turn on one target dir; overhead = median of paired differences.",
        "cargo = `cargo clippy --workspace --all-targets --message-format=json --keep-going`, the stream Rusta reads.",
        "rss: peak resident set from wait4 (the whole process tree: the largest single process in it); "
        "rusta python = Rusta's own process (RUSAGE_SELF at exit).",
        f"load average at the end: {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores.",
    ]
    if quick():
        notes.append("--quick: a small workspace; no timing is judged.")
    return {"title": "rusta check on a generated 2,000-file workspace", "rows": [row], "notes": notes}


if __name__ == "__main__":
    print(json.dumps(run(), indent=2))
