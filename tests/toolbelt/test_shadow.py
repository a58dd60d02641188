"""Which Cargo.lock cargo would use decides whether a read-only crate needs a shadow copy."""

from __future__ import annotations

from pathlib import Path

from toolbelt.shadow import has_lockfile


def _crate(at: Path) -> Path:
    at.mkdir(parents=True)
    (at / "Cargo.toml").write_text('[package]\nname = "c"\nversion = "0.1.0"\n')
    return at


def test_a_stray_lock_above_the_crate_without_a_manifest_is_not_the_crates(tmp_path: Path) -> None:
    (tmp_path / "Cargo.lock").write_text("version = 4\n")  # left by some run in /tmp
    crate = _crate(tmp_path / "work" / "c")
    assert not has_lockfile(crate)


def test_the_crates_own_lock_and_a_workspace_roots_lock_count(tmp_path: Path) -> None:
    own = _crate(tmp_path / "own")
    (own / "Cargo.lock").write_text("version = 4\n")
    assert has_lockfile(own)
    ws = tmp_path / "ws"
    ws.mkdir()
    (ws / "Cargo.toml").write_text('[workspace]\nmembers = ["m"]\n')
    (ws / "Cargo.lock").write_text("version = 4\n")
    assert has_lockfile(_crate(ws / "m"))
