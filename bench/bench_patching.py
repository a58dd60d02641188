"""Bench the reversible-patch path: snapshot and undo on a 1,000-file crate, validation vs raw cargo.

Goals (issue 5): validation overhead <= 1.2x raw `cargo check && cargo test` on the same crate and
the same edit, small-crate validation <= 12 s. Both are measured warm (second and later runs) and
the small crate also cold (a fresh sandbox and target dir), medians of a few runs.
"""

from __future__ import annotations

import os
import shutil
import statistics
import subprocess
import tempfile
import time
from pathlib import Path

from bench.quick import size

N_FILES = size(1000, 60)  # the test sums every 50th module: it needs two
RUNS = size(5, 1)
WARM = size(1, 0)  # runs that warm the sandbox first, not counted; --quick counts its one cold run
FIXTURE = Path(__file__).resolve().parent.parent / "tests" / "fixtures" / "patch_crate"


def _git(root: Path, *args: str) -> None:
    env = dict(
        os.environ,
        GIT_AUTHOR_NAME="b",
        GIT_AUTHOR_EMAIL="b@b",
        GIT_COMMITTER_NAME="b",
        GIT_COMMITTER_EMAIL="b@b",
    )
    subprocess.run(["git", *args], cwd=root, env=env, check=True, capture_output=True)


def make_big_crate(root: Path, n: int = N_FILES) -> None:
    """A crate of `n` source files: n-2 tiny modules, lib.rs listing them, and a test file."""
    (root / "src" / "mods").mkdir(parents=True)
    (root / "Cargo.toml").write_text(
        '[package]\nname = "big"\nversion = "0.1.0"\nedition = "2021"\n\n[dependencies]\n'
    )
    mods = n - 2
    for i in range(mods):
        (root / "src" / "mods" / f"m{i:04}.rs").write_text(f"pub fn value() -> u64 {{\n    {i}\n}}\n")
    lines = [f'#[path = "mods/m{i:04}.rs"]\npub mod m{i:04};' for i in range(mods)]
    lines.append(
        "pub fn total() -> u64 {\n    " + " + ".join(f"m{i:04}::value()" for i in range(0, mods, 50)) + "\n}"
    )
    lines.append(
        "#[cfg(test)]\nmod tests {\n    #[test]\n    fn sums() {\n        assert!(super::total() > 0);\n    }\n}"
    )
    (root / "src" / "lib.rs").write_text("\n".join(lines) + "\n")
    (root / ".gitignore").write_text("/target/\n")
    _git(root, "init", "-q")
    _git(root, "add", "-A")
    _git(root, "commit", "-qm", "big")


def _edit_diff(path: str, old: str, new: str, line: int) -> str:
    return f"--- a/{path}\n+++ b/{path}\n@@ -{line},1 +{line},1 @@\n-{old}\n+{new}\n"


def _timed(fn) -> tuple[float, object]:
    t = time.perf_counter()
    out = fn()
    return time.perf_counter() - t, out


def _raw(root: Path, target: Path) -> float:
    env = dict(os.environ, CARGO_TARGET_DIR=str(target), CARGO_NET_OFFLINE="true")
    t = time.perf_counter()
    subprocess.run(
        ["cargo", "check", "--all-targets", "--quiet"], cwd=root, env=env, check=True, capture_output=True
    )
    subprocess.run(["cargo", "test", "--quiet"], cwd=root, env=env, check=True, capture_output=True)
    return time.perf_counter() - t


def _toolbelt(root: Path, target: Path) -> float:
    """The same two cargo runs through toolbelt (network isolation, limits, JSON parsing), no sandbox."""
    from toolbelt.cargo_run import run_check, run_test

    t = time.perf_counter()
    assert run_check(root, target_dir=target).status == "clean"
    assert run_test(root, target_dir=target).status == "passed"
    return time.perf_counter() - t


def _validation_vs_raw(
    root: Path, path: str, variants: list[tuple[str, str]], line: int, work: Path
) -> tuple[float, float, float]:
    """Median times of validate, raw cargo and toolbelt cargo for the same one-line edits of `path`."""
    from engine.patching import api
    from engine.patching.types import Patch

    original = (root / path).read_text().splitlines()[line - 1]
    val, raw, tb = [], [], []
    target = work / f"raw-target-{root.name}"
    tb_target = work / f"toolbelt-target-{root.name}"
    for i, (_, new) in enumerate(variants):
        patch = Patch.new(_edit_diff(path, original, new, line), "bench edit")
        dt, v = _timed(lambda patch=patch: api.validate(root, patch))
        assert v.verdict == "green", v.reason
        if i >= WARM:  # the first run warms the sandbox
            val.append(dt)
        f = root / path
        keep = f.read_text()
        f.write_text(keep.replace(original, new, 1))
        t = _raw(root, target)
        t_tb = _toolbelt(root, tb_target)
        f.write_text(keep)
        if i >= WARM:
            raw.append(t)
            tb.append(t_tb)
    return statistics.median(val), statistics.median(raw), statistics.median(tb)


def run() -> dict:
    from diary import snapshots as snaps
    from engine.patching import api
    from engine.patching.types import Patch

    rows: list[dict] = []
    notes: list[str] = []
    work = Path(tempfile.mkdtemp(prefix="rusta-bench-patching-"))
    old_cache = os.environ.get("RUSTA_CACHE_DIR")
    os.environ["RUSTA_CACHE_DIR"] = str(work / "cache")
    try:
        big = work / "big"
        make_big_crate(big)
        time.sleep(0.3)  # past the stat cache's racy window, as any real tree is
        t_first, _ = _timed(lambda: snaps.snapshot(big))
        t_same, _ = _timed(lambda: snaps.snapshot(big))
        (big / "src" / "mods" / "m0007.rs").write_text("pub fn value() -> u64 {\n    70\n}\n")
        t_one, _ = _timed(lambda: snaps.snapshot(big))
        rows += [
            {"case": f"snapshot, {N_FILES} files, first", "seconds": round(t_first, 3)},
            {"case": f"snapshot, {N_FILES} files, nothing changed", "seconds": round(t_same, 3)},
            {"case": f"snapshot, {N_FILES} files, 1 changed", "seconds": round(t_one, 3)},
        ]
        (big / "src" / "mods" / "m0007.rs").write_text("pub fn value() -> u64 {\n    7\n}\n")

        variants = [(str(k), f"    {k}") for k in range(1007, 1007 + 1000 * (RUNS + WARM), 1000)]
        v_big, r_big, t_big = _validation_vs_raw(big, "src/mods/m0007.rs", variants, 2, work)
        rows.append(
            {
                "case": f"validate, {N_FILES}-file crate, warm",
                "seconds": round(v_big, 2),
                "raw cargo": round(r_big, 2),
                "ratio": round(v_big / r_big, 2),
                "toolbelt cargo": round(t_big, 2),
                "ratio vs toolbelt": round(v_big / t_big, 2),
            }
        )

        patch = Patch.new(_edit_diff("src/mods/m0009.rs", "    9", "    99", 2), "bench: a one-file change")
        v = api.validate(big, patch)
        api.apply(big, patch, v)
        t_undo, _ = _timed(lambda: api.undo(big))
        t_redo, _ = _timed(lambda: api.redo(big))
        rows.append({"case": f"undo, {N_FILES}-file crate (1 file)", "seconds": round(t_undo, 3)})
        rows.append({"case": f"redo, {N_FILES}-file crate (1 file)", "seconds": round(t_redo, 3)})

        small = work / "small"
        shutil.copytree(FIXTURE, small, ignore=shutil.ignore_patterns("target"))
        diff = (FIXTURE.parent / "patch_diffs" / "good.diff").read_text()
        t_cold, v = _timed(lambda: api.validate(small, Patch.new(diff, "bench: small crate, cold")))
        assert v.verdict == "green", v.reason
        rows.append({"case": "validate, small crate, cold sandbox", "seconds": round(t_cold, 2)})
        sv = [(str(k), f"    a + b + {k} - {k}") for k in range(RUNS + WARM)]
        v_small, r_small, t_small = _validation_vs_raw(small, "src/math.rs", sv, 10, work)
        rows.append(
            {
                "case": "validate, small crate, warm",
                "seconds": round(v_small, 2),
                "raw cargo": round(r_small, 2),
                "ratio": round(v_small / r_small, 2),
                "toolbelt cargo": round(t_small, 2),
                "ratio vs toolbelt": round(v_small / t_small, 2),
            }
        )
        notes.append(
            f"goals: validation <= 1.2x raw cargo (warm, same edit); small crate <= 12 s. "
            f"cold small-crate validation includes building the sandbox target dir. Medians of {RUNS} runs."
        )
        notes.append(
            "raw cargo = `cargo check --all-targets && cargo test` in the crate with its own warm target "
            "dir after the same one-line edit; toolbelt cargo = the same two runs through toolbelt.cargo_run "
            "(network isolation, limits, JSON parsing); validate = snapshot + sandbox sync + toolbelt cargo."
        )
    finally:
        if old_cache is None:
            os.environ.pop("RUSTA_CACHE_DIR", None)
        else:
            os.environ["RUSTA_CACHE_DIR"] = old_cache
        shutil.rmtree(work, ignore_errors=True)
    return {"title": "Reversible patches: snapshots, undo, sandbox validation", "rows": rows, "notes": notes}
