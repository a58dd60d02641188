"""Where a figure was measured (machine, git revision) and how each target moved across revisions.

Each full bench run appends one line per bench to `bench/results/history.jsonl`; `--plot` draws
every target's figure against the revisions, with plotext in the terminal and, when matplotlib is
installed, as a PNG beside the results.
"""

from __future__ import annotations

import json
import os
import platform
import subprocess
import time
from pathlib import Path

from bench.targets import TARGETS, figures, load_results


def machine() -> dict[str, object]:
    mem = 0
    try:
        mem = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES")
    except (ValueError, OSError):
        pass
    return {
        "host": platform.node(),
        "cpu": platform.processor() or platform.machine(),
        "cores": os.cpu_count(),
        "memory_gb": round(mem / 1024**3, 1),
        "python": platform.python_version(),
    }


def revision(repo: Path) -> str:
    """HEAD's commit, with `+dirty` when tracked files differ from it; "" outside git."""
    try:
        head = subprocess.run(
            ["git", "rev-parse", "HEAD"], cwd=repo, capture_output=True, text=True, timeout=10, check=True
        ).stdout.strip()
        dirty = subprocess.run(
            ["git", "diff", "--quiet", "HEAD", "--"], cwd=repo, capture_output=True, timeout=30
        ).returncode
    except (OSError, subprocess.SubprocessError):
        return ""
    return head + ("+dirty" if dirty else "")


def stamp(result: dict, repo: Path) -> dict:
    return {**result, "machine": machine(), "revision": revision(repo), "measured_at": time.time()}


def append_history(results_dir: Path, name: str, result: dict) -> None:
    line = {
        "bench": name,
        "revision": result.get("revision", ""),
        "measured_at": result.get("measured_at", time.time()),
        "machine": result.get("machine", {}),
        "figures": figures({name: result}),
    }
    with (results_dir / "history.jsonl").open("a", encoding="utf-8") as f:
        f.write(json.dumps(line) + "\n")


def series(results_dir: Path) -> dict[str, list[tuple[str, float]]]:
    """target id -> [(short revision, figure)] in the order measured; the latest results count too."""
    out: dict[str, list[tuple[str, float]]] = {t.id: [] for t in TARGETS}
    hist = results_dir / "history.jsonl"
    lines: list[dict] = []
    if hist.is_file():
        for raw in hist.read_text(encoding="utf-8").splitlines():
            try:
                lines.append(json.loads(raw))
            except json.JSONDecodeError:
                continue
    if not lines:  # before any history: the figures on disk, at whatever revision they carry
        for name, res in load_results(results_dir).items():
            lines.append(
                {"bench": name, "revision": res.get("revision", "?"), "figures": figures({name: res})}
            )
    for ln in lines:
        for tid, value in (ln.get("figures") or {}).items():
            if tid in out:
                out[tid].append((str(ln.get("revision", "?"))[:7] or "?", float(value)))
    return {k: v for k, v in out.items() if v}


def plot(results_dir: Path) -> list[str]:
    """Draw the trends; return what was drawn or why not, one sentence each."""
    data = series(results_dir)
    if not data:
        return ["no figures yet: run `rusta bench` (or `make bench`) first."]
    said: list[str] = []
    try:
        import plotext as plt
    except ImportError:
        said.append("plotext is not installed (`pip install plotext`); no terminal plot.")
    else:
        for tid, points in data.items():
            plt.clear_figure()
            plt.theme("clear")  # the terminal's own colours, no painted background
            plt.plot(list(range(len(points))), [v for _, v in points], marker="braille")
            plt.xticks(list(range(len(points))), [r for r, _ in points])
            plt.title(f"{tid}: {next(t.words for t in TARGETS if t.id == tid)}")
            plt.plotsize(min(100, 20 + 8 * len(points)), 12)
            plt.show()
    try:
        import matplotlib

        matplotlib.use("Agg")
        import matplotlib.pyplot as mpl
    except ImportError:
        said.append("matplotlib is not installed, so no PNG was written (`pip install matplotlib`).")
        return said
    fig, axes = mpl.subplots(len(data), 1, figsize=(8, 2.2 * len(data)), squeeze=False)
    for ax, (tid, points) in zip(axes[:, 0], data.items(), strict=True):
        ax.plot(range(len(points)), [v for _, v in points], marker="o")
        ax.set_xticks(range(len(points)), [r for r, _ in points], fontsize=7)
        ax.set_title(tid, fontsize=9)
    fig.tight_layout()
    png = results_dir / "trends.png"
    fig.savefig(png)
    said.append(f"wrote {png}")
    return said
