"""`rusta doctor` shows the cache's sizes and cap; `rusta gc` and `rusta history` end to end.

The CLI runs as a real process on a cache and a crate of this test's own.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from diary import snapshots as snaps
from engine.patching import transaction
from tests.cli_runner import rusta
from toolbelt.doctor import check_cache_size
from toolbelt.paths import StorageLimits, cache_entries, crate_key, target_dir_for, tree_bytes

REPO = Path(__file__).parents[2]


def _rusta(*argv: str, cache: Path, cwd: Path) -> subprocess.CompletedProcess:
    return rusta(*argv, cwd=cwd, env={"RUSTA_CACHE_DIR": str(cache)}, columns=120, timeout=120)


def _crate(root: Path) -> Path:
    (root / "src").mkdir(parents=True)
    (root / "Cargo.toml").write_text('[package]\nname = "sizes"\nversion = "0.1.0"\nedition = "2021"\n')
    (root / "src" / "lib.rs").write_text("pub fn one() -> u32 { 1 }\n")
    return root


def test_doctor_sizes_add_up_and_name_gc_when_over(tmp_path: Path, monkeypatch) -> None:
    cache = tmp_path / "cache"
    monkeypatch.setenv("RUSTA_CACHE_DIR", str(cache))
    crate = _crate(tmp_path / "crate")
    t = target_dir_for(crate)
    (t / "debug").mkdir(parents=True)
    (t / "debug" / "libx.rlib").write_bytes(os.urandom(3 * 1024 * 1024))
    usage = cache_entries()
    assert usage.by_kind["targets"] == tree_bytes(t) and [e.key for e in usage.entries] == [crate_key(crate)]
    ok = check_cache_size(StorageLimits(cache_cap_mb=10))
    assert ok.status == "ok" and "targets 3.0 MiB (1)" in ok.detail and "cap 10.0 MiB" in ok.detail
    over = check_cache_size(StorageLimits(cache_cap_mb=1))
    assert over.status == "warn" and "over the cap by 2.0 MiB" in over.detail and over.fix == "run `rusta gc`"

    r = _rusta("doctor", "--json", cache=cache, cwd=tmp_path)
    checks = {c["name"]: c for c in json.loads(r.stdout)["checks"]}
    assert "targets 3.0 MiB (1)" in checks["cache size"]["detail"]


def test_gc_cli_dry_run_then_real_and_history_says_where_undo_ends(tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    crate = _crate(tmp_path / "crate")
    gone = _crate(tmp_path / "gone")
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("RUSTA_CACHE_DIR", str(cache))
        t = target_dir_for(gone)
    (t / "debug").mkdir(parents=True)
    (t / "debug" / "libx.rlib").write_bytes(os.urandom(2 * 1024 * 1024))
    shutil.rmtree(gone)
    for i in range(3):
        transaction.run_op(
            crate,
            op="apply",
            patch_id=f"p{i}",
            changes={"src/lib.rs": (snaps.MODE_FILE, f"pub fn one() -> u32 {{ {i} }}\n".encode())},
            summary=f"v{i}",
        )
    (crate / ".rusta" / "settings.toml").write_text("undo_history_ops = 2\n")

    dry = _rusta("gc", "--dry-run", "--json", cache=cache, cwd=crate)
    assert dry.returncode == 0, dry.stderr
    body = json.loads(dry.stdout)
    assert body["dry_run"] and t.is_dir()
    assert [r["kind"] for r in body["rows"]] == ["targets", "sandboxes", "scratch", "snapshots"]
    assert body["rows"][0]["removed"] == 1 and body["rows"][0]["freed"] >= 2 * 1024 * 1024

    real = _rusta("gc", cache=cache, cwd=crate)
    assert real.returncode == 0, real.stderr
    assert not t.exists()
    assert "Freed" in real.stdout and "targets" in real.stdout and "snapshots" in real.stdout

    hist = _rusta("history", cache=cache, cwd=crate)
    assert hist.returncode == 0, hist.stderr
    ops = [ln.split()[0] for ln in hist.stdout.splitlines() if re.match(r"\d{6}-\d{6}-\w+ .* apply ", ln)]
    assert len(ops) == 3
    assert f"Undo history ends at {ops[1]}: the newest 2 op(s) stay undoable" in hist.stdout

    bad = _rusta("gc", str(tmp_path / "nowhere"), cache=cache, cwd=tmp_path)
    assert bad.returncode != 0 and bad.stderr.startswith("rusta: ") and "Traceback" not in bad.stderr
