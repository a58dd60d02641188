"""replace_file, the one write-then-rename helper: whole or nothing, exact permissions, durable names."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from tests.diary.crashsim import PowerLoss
from toolbelt.atomic_file import TMP_MARK, replace_file


def test_replaces_whole_with_exact_permissions_and_leaves_no_temp(tmp_path: Path) -> None:
    target = tmp_path / "f.toml"
    target.write_bytes(b"old")
    replace_file(target, b"new" * 1000, perm=0o640)
    assert target.read_bytes() == b"new" * 1000
    assert target.stat().st_mode & 0o777 == 0o640
    replace_file(target, b"x", mode=0o600)  # without perm: created like open(), less the umask
    umask = os.umask(0)
    os.umask(umask)
    assert target.stat().st_mode & 0o777 == 0o600 & ~umask
    assert not [p for p in tmp_path.iterdir() if TMP_MARK in p.name]


def test_a_failed_write_leaves_the_old_file_and_no_temp(tmp_path: Path) -> None:
    target = tmp_path / "state.json"
    target.write_bytes(b"kept")
    with pytest.raises(TypeError):
        replace_file(target, 12345)  # type: ignore[arg-type]  # fails after the temp file exists
    assert target.read_bytes() == b"kept"
    assert [p.name for p in tmp_path.iterdir()] == ["state.json"]


@pytest.mark.parametrize("durable", [True, False])
def test_only_a_durable_replace_survives_a_power_cut(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, durable: bool
) -> None:
    root = tmp_path / "store"
    root.mkdir()
    loss = PowerLoss(root, monkeypatch)
    replace_file(root / "gc.json", b'{"at": 1}', durable=durable)
    after = loss.crash_copy(tmp_path / "after")
    survived = (after / "gc.json").read_bytes() if (after / "gc.json").exists() else None
    assert survived == (b'{"at": 1}' if durable else None)
