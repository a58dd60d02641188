"""Rusta's cache past its cap: entries of deleted crates go, then the least recently used; an entry
whose lock a running process holds is never touched; --dry-run changes nothing.

One real `cargo check` makes a real target dir (with cargo's own `.cargo-lock`); the other entries
are made where Rusta makes them (`target_dir_for`, `sandbox_home`) and filled with bytes. The lock
is held by a separate process, as a running validation would hold it.
"""

from __future__ import annotations

import math
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

from diary import gc
from engine.patching.sandbox import sandbox_home
from toolbelt.cargo_run import run_check
from toolbelt.paths import StorageLimits, cache_entries, crate_key, target_dir_for, tree_bytes

MIB = gc.MIB


@pytest.fixture
def cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A cache of this test's own: gc must not evict the suite's warm target dirs."""
    d = tmp_path / "cache"
    monkeypatch.setenv("RUSTA_CACHE_DIR", str(d))
    return d


def _crate(root: Path, name: str) -> Path:
    (root / "src").mkdir(parents=True)
    (root / "Cargo.toml").write_text(f'[package]\nname = "{name}"\nversion = "0.1.0"\nedition = "2021"\n')
    (root / "src" / "lib.rs").write_text("pub fn one() -> u32 { 1 }\n")
    return root


def _fill(folder: Path, mib: int) -> None:
    (folder / "debug" / "deps").mkdir(parents=True, exist_ok=True)
    (folder / "debug" / "deps" / "libfake.rlib").write_bytes(os.urandom(mib * MIB))


def _age(cache: Path, crate: Path, entry: Path, seconds_ago: float) -> None:
    """Make the crate's last use `seconds_ago`: its registry stamp and the entry's own mtimes."""
    t = time.time() - seconds_ago
    for p in [cache / "crates" / f"{crate_key(crate)}.json", entry, *entry.iterdir()]:
        os.utime(p, (t, t))


def _listing(root: Path) -> list[tuple[str, int]]:
    return sorted(
        (os.path.relpath(os.path.join(d, f), root), os.lstat(os.path.join(d, f)).st_mtime_ns)
        for d, _dirs, files in os.walk(root)
        for f in files
    )


def test_lru_eviction_drops_deleted_crates_first_and_dry_run_changes_nothing(
    tmp_path: Path, cache: Path
) -> None:
    a, b, c, d = (_crate(tmp_path / n, n) for n in "abcd")
    rep = run_check(a)  # a real target dir, with cargo's build lock in it
    assert rep.status == "clean", rep.message
    ta = target_dir_for(a)
    assert (ta / "debug" / ".cargo-lock").exists()
    for crate, mib, ago in ((b, 3, 3000), (c, 2, 2000), (d, 2, 100)):
        t = target_dir_for(crate)
        _fill(t, mib)
        _age(cache, crate, t, ago)
    _age(cache, a, ta, 10)
    shutil.rmtree(d)  # a temporary checkout, gone: its target dir is garbage however recent
    cap_mb = math.ceil((tree_bytes(ta) + tree_bytes(target_dir_for(c))) / MIB)
    limits = StorageLimits(cache_cap_mb=cap_mb)

    before = _listing(cache)
    dry = gc.collect(None, dry_run=True, limits=limits)
    assert _listing(cache) == before, "--dry-run changed the cache"
    done = gc.collect(None, dry_run=False, limits=limits)
    assert dry.removals == done.removals
    assert [(Path(r.path).name, r.reason) for r in done.removals] == [
        (crate_key(tmp_path / "d"), "its crate is gone"),
        (crate_key(b), "least recently used"),
    ]
    left = {Path(e.path).name for e in cache_entries().entries}
    assert left == {crate_key(a), crate_key(c)}
    assert not (cache / "crates" / f"{crate_key(tmp_path / 'd')}.json").exists()
    row = next(r for r in done.rows if r.kind == "targets")
    assert row.removed == 2 and row.freed >= 5 * MIB
    assert sum(e.bytes for e in cache_entries().entries) <= cap_mb * MIB
    assert run_check(a).status == "clean"  # the kept target dir still serves its crate


_HOLD = """
import sys
from pathlib import Path
from diary.worktree import file_lock
with file_lock(Path(sys.argv[1])):
    print("held", flush=True)
    sys.stdin.read()
"""


def test_an_entry_whose_lock_is_held_is_never_evicted(tmp_path: Path, cache: Path) -> None:
    old, new = _crate(tmp_path / "old", "old"), _crate(tmp_path / "new", "new")
    busy = sandbox_home(old.resolve())
    _fill(busy / "target", 3)
    _age(cache, old, busy, 5000)  # the oldest entry of all, and far over the cap
    idle = target_dir_for(new)
    _fill(idle, 1)
    _age(cache, new, idle, 60)
    shutil.rmtree(old)  # even a gone crate's entry stays while a validation holds it
    holder = subprocess.Popen(
        [sys.executable, "-c", _HOLD, str(busy / "lock")],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        cwd=Path(__file__).parents[2],
        text=True,
    )
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "held"
        done = gc.collect(None, dry_run=False, limits=StorageLimits(cache_cap_mb=0))
        assert busy.is_dir() and (busy / "target" / "debug" / "deps" / "libfake.rlib").is_file()
        assert not idle.exists()
        assert next(r for r in done.rows if r.kind == "sandboxes").in_use == 1
        assert any("in use" in n for n in done.notes)
    finally:
        holder.communicate("")
    done = gc.collect(None, dry_run=False, limits=StorageLimits(cache_cap_mb=0))
    assert not busy.exists(), "once the validation let go, the gone crate's sandbox is collected"
