"""The goals table: each target's figure, its anchor, the ratio and met/missed/not measured, in words."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from bench.targets import TARGETS, table_rows, verdict

REPO = Path(__file__).resolve().parents[1]


def _by_what(rows: list[dict[str, str]]) -> dict[str, dict[str, str]]:
    return {r["what"]: r for r in rows}


def test_figures_and_anchors_come_from_the_same_results() -> None:
    results = {
        "check": {
            "revision": "abc1234def",
            "rows": [
                {"crate": "a", "warm rusta s": 0.5, "warm cargo s": 0.4},
                {"crate": "b", "warm rusta s": 0.9, "warm cargo s": 0.5},  # the worst overhead decides
            ],
        },
        "tui": {
            "rows": [
                {"what": "app: save -> new report", "median_s": 1.2},
                {"what": "raw cargo clippy", "median_s": 1.0},
            ]
        },
    }
    rows = _by_what(table_rows(results))
    check = rows["`rusta check --json` over raw clippy (worst crate)"]
    assert (check["rusta"], check["anchor"], check["ratio"], check["verdict"]) == (
        "0.9", "0.5 (cargo clippy)", "1.80", "missed",
    )  # fmt: skip
    assert check["revision"] == "abc1234def"
    assert rows["app: save to updated diagnostics"]["verdict"] == "met"
    assert rows["cold `rusta explain` to the first story (demo crate)"]["verdict"] == "not measured"
    assert len(rows) == len(TARGETS)


def test_check_reads_the_paired_overhead_and_the_many_diagnostics_crate() -> None:
    """Rusta's figure is cargo's median plus the median paired difference where the bench has it,
    and the generated crate with hundreds of diagnostics has a goal row of its own."""
    results = {
        "check": {
            "rows": [
                {"crate": "demo", "warm rusta s": 0.9, "warm cargo s": 0.5, "overhead s": 0.1},
                {
                    "crate": "generated, 1 error + 520 warnings",
                    "warm rusta s": 0.6,
                    "warm cargo s": 0.4,
                    "overhead s": 0.18,
                },
            ]
        }
    }
    rows = _by_what(table_rows(results))
    worst = rows["`rusta check --json` over raw clippy (worst crate)"]
    many = rows["`rusta check --json` over raw clippy's JSON, 1 error + 520 warnings"]
    assert (worst["rusta"], worst["anchor"], worst["verdict"]) == ("0.58", "0.4 (cargo clippy)", "missed")
    assert (many["rusta"], many["verdict"]) == ("0.58", "missed")
    results["check"]["rows"][1]["overhead s"] = 0.08
    results["check"]["rows"][1].update({"warm cargo json s": 0.45, "overhead over json s": 0.1})
    rows = _by_what(table_rows(results))
    many = rows["`rusta check --json` over raw clippy's JSON, 1 error + 520 warnings"]
    assert (many["rusta"], many["anchor"]) == ("0.55", "0.45 (cargo clippy json)")
    assert rows["`rusta check --json` over raw clippy's JSON, 1 error + 520 warnings"]["verdict"] == "met"
    assert rows["`rusta check --json` over raw clippy (worst crate)"]["rusta"] == "0.6"  # the demo's 0.5+0.1


def test_a_missing_anchor_is_not_measured_never_met() -> None:
    t = next(t for t in TARGETS if t.kind == "over_anchor_at_most")
    assert verdict(t, 0.1, None) == "not measured"
    assert verdict(t, 0.3, 0.2) == "met"
    assert verdict(t, 0.5, 0.2) == "missed"


def test_table_and_plot_run_on_the_results_in_the_repo() -> None:
    env = dict(os.environ, PYTHONPATH=str(REPO))
    out = subprocess.run(
        [sys.executable, "-m", "rusta_tui.cli.main", "bench", "--table", "--plot"],
        cwd=REPO, env=env, capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert out.returncode == 0, out.stderr
    assert "met or missed" in out.stdout and "Traceback" not in out.stderr
    assert "matplotlib" in out.stdout or "trends.png" in out.stdout  # a PNG, or why not


@pytest.mark.slow
def test_quick_runs_benches_at_tiny_sizes_and_writes_nothing() -> None:
    """Three cheap benches through the CLI (the whole set takes minutes: `rusta bench --quick`)."""
    results = REPO / "bench" / "results"
    before = {p.name: p.read_bytes() for p in results.glob("*") if p.is_file()}
    env = dict(os.environ, PYTHONPATH=str(REPO))
    out = subprocess.run(
        [sys.executable, "-m", "rusta_tui.cli.main", "bench", "--quick", "explain", "diary", "check"],
        cwd=REPO, env=env, capture_output=True, text=True, timeout=600,
    )  # fmt: skip
    assert out.returncode == 0, out.stdout[-3000:] + out.stderr[-3000:]
    assert "3 of 3 benchmarks ran at quick sizes" in out.stdout
    assert "No figure below is a result" in out.stdout  # the quick table says it is quick
    assert "explain: ran in" in out.stdout and "check: ran in" in out.stdout
    after = {p.name: p.read_bytes() for p in results.glob("*") if p.is_file()}
    assert after == before


def test_the_workspace_rows_read_the_paired_overhead_and_rusta_s_own_memory() -> None:
    res = {"rows": [{"warm cargo json s": 0.2, "overhead s": 0.1, "warm rusta s": 0.5,
                     "rusta python peak rss mb": 27.0, "cargo tree peak rss mb": 29.0}]}  # fmt: skip
    by_id = {t.id: t for t in TARGETS}
    check, rss = by_id["workspace-check"], by_id["workspace-rss"]
    assert check.read(res) == (0.2 + 0.1, 0.2)  # cargo's median plus the paired difference
    assert verdict(check, *check.read(res)) == "met"
    assert rss.read(res) == (27.0, 29.0) and verdict(rss, 27.0, 29.0) == "met"
    assert check.read({"rows": []}) == (None, None) and verdict(rss, None, None) != "met"


def test_the_patch_kill_rows_sum_every_damage_and_count_the_trials() -> None:
    by_id = {t.id: t for t in TARGETS}
    damage, trials = by_id["patch-kill-damage"], by_id["patch-kill-trials"]
    whole = {"operation": "all", "trials": 1000, "half-applied trees": 0, "other problems": 0,
             "undo restores the start at the end": True}  # fmt: skip
    res = {"rows": [{"operation": "apply", "trials": 500, "half-applied trees": 0}, whole]}
    assert damage.read(res) == (0.0, None) and verdict(damage, *damage.read(res)) == "met"
    assert verdict(trials, *trials.read(res)) == "met"
    assert _by_what(table_rows({"patch_kill": res}))[trials.words]["rusta"] == "1000"
    whole.update({"other problems": 2, "undo restores the start at the end": False, "trials": 300})
    assert damage.read(res) == (3.0, None) and verdict(damage, *damage.read(res)) == "missed"
    assert verdict(trials, *trials.read(res)) == "missed"
    assert damage.read({"rows": []}) == (None, None) and verdict(damage, None, None) == "not measured"
