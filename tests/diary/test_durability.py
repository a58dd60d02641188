"""A power cut right after an op is acknowledged loses none of the snapshots that op needs.

The store's folders are fsynced as well as its files: `crashsim.PowerLoss` drops every directory
entry that no fsync made durable, and the store copy it leaves must still hold both snapshots of
the op (every tree and blob). The last test turns the folder fsyncs off and sees the same crash
lose the snapshot, so the simulation can tell the difference.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from diary import snapshots as snaps
from engine.patching import transaction
from tests.diary.crashsim import PowerLoss


def _crate(root: Path, n_files: int) -> Path:
    (root / "src").mkdir(parents=True)
    (root / "Cargo.toml").write_text('[package]\nname = "p"\nversion = "0.1.0"\nedition = "2021"\n')
    for i in range(n_files):
        (root / "src" / f"m{i}.rs").write_text(f"pub fn f{i}() -> u32 {{ {i} }}\n")
    snaps.snapshot(root, "first")  # the store exists, and is durable, before the op under test
    return root


def _op(root: Path, n_changed: int):
    changes = {
        f"src/m{i}.rs": (snaps.MODE_FILE, f"pub fn f{i}() -> u32 {{ {i} + 1 }}\n".encode())
        for i in range(n_changed)
    }
    return transaction.run_op(root, op="apply", patch_id="p1", changes=changes, summary="bump")


def _all_readable(root: Path, snap: str) -> int:
    ents = snaps.entries(root, snap)
    return len(snaps.read_blobs(root, [e.blob for e in ents.values()]))


@pytest.mark.parametrize(("n_files", "n_changed"), [(6, 2), (150, 120)], ids=["loose", "pack"])
def test_acknowledged_op_keeps_its_snapshots_through_a_power_cut(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, n_files: int, n_changed: int
) -> None:
    root = _crate(tmp_path / "crate", n_files)
    loss = PowerLoss(snaps.store_path(root), monkeypatch)
    rec = _op(root, n_changed)
    assert any(d.startswith("objects") for d in loss.dir_fsyncs)
    after_crash = tmp_path / "after-crash"
    loss.crash_copy(snaps.store_path(after_crash))
    assert _all_readable(after_crash, rec.snapshot_before) == n_files + 1
    assert _all_readable(after_crash, rec.snapshot_after) == n_files + 1
    assert snaps.read_file(after_crash, rec.snapshot_after, "src/m0.rs") == b"pub fn f0() -> u32 { 0 + 1 }\n"


@pytest.mark.parametrize(("n_files", "n_changed"), [(6, 2), (150, 120)], ids=["loose", "pack"])
def test_without_folder_fsyncs_the_same_crash_loses_the_snapshot(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, n_files: int, n_changed: int
) -> None:
    root = _crate(tmp_path / "crate", n_files)
    monkeypatch.setattr(snaps, "fsync_dir", lambda d: None)
    loss = PowerLoss(snaps.store_path(root), monkeypatch)
    rec = _op(root, n_changed)
    after_crash = tmp_path / "after-crash"
    loss.crash_copy(snaps.store_path(after_crash))
    with pytest.raises(snaps.SnapshotError):
        _all_readable(after_crash, rec.snapshot_after)
