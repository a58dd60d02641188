"""kill -9 inside a write of the snapshot store: the lock file dulwich leaves never stops undo or apply.

The child (tests/patching/crash_driver.py) stops itself just after dulwich creates the lock file of
a real write (the `latest` ref, a loose object); the test sees the lock on disk and SIGKILLs the
child there. Recovery must remove the lock and say so; then undo (or the same apply again) works
and the user's files, HEAD and index are whole.
"""

from __future__ import annotations

import os
import shutil
import signal
from pathlib import Path
from typing import Any

import pytest

from diary import snapshots as snaps
from diary import storelocks
from diary.devlog import DevLog
from engine.patching import api
from tests.patching.helpers import repo_fingerprint, spawn_driver, tree_hashes
from tests.patching.test_crash import assert_whole, driver_args

pytestmark = [pytest.mark.slow, pytest.mark.xdist_group("patching-crash")]  # one real validation (cargo)

LATEST_LOCK = "refs/rusta/snapshots/latest.lock"


def kill_inside_lock(
    root: Path, args: list[str], text: str, hook: str = "RUSTA_TEST_STOP_IN_LOCK"
) -> list[str]:
    """Run the op in a child, SIGKILL it while a dulwich lock file named like `text` exists (or just
    after the folder `hook` names is made); the store's leftovers seen at the kill, relative to it."""
    proc = spawn_driver(root, args, {hook: text})
    try:
        _, status = os.waitpid(proc.pid, os.WUNTRACED)
        assert os.WIFSTOPPED(status), f"the child ended without meeting {text!r}"
        store = snaps.store_path(root)
        seen = [str(p.relative_to(store)) for p in storelocks.leftovers(store)] if store.is_dir() else []
        proc.send_signal(signal.SIGKILL)
        assert proc.wait(timeout=60) == -signal.SIGKILL
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    return seen


def store_notes(root: Path) -> list[Any]:
    log = DevLog.open(root, readonly=True)
    try:
        return [e.payload for e in log.entries() if e.kind == "note" and e.payload.get("repair")]
    finally:
        log.close()


def test_kill_inside_the_latest_ref_update_then_undo(validated_template, crate_copy) -> None:
    root = crate_copy()
    fp, before = repo_fingerprint(root), tree_hashes(root)
    api.apply(root, validated_template.patch, validated_template.validation)
    applied = tree_hashes(root)
    assert kill_inside_lock(root, ["undo"], LATEST_LOCK) == [LATEST_LOCK]
    said = api.recover(root)
    assert_whole(root, fp, {"applied": applied}, ("applied",))  # killed before any file was written
    api.undo(root)
    assert_whole(root, fp, {"before": before}, ("before",))
    assert said[0] == (f"removed 1 file(s) a killed Rusta process left in its snapshot store: {LATEST_LOCK}.")
    assert storelocks.leftovers(snaps.store_path(root)) == []
    assert store_notes(root)[-1]["removed"] == [LATEST_LOCK]
    assert api.recover(root) == []


def test_kill_inside_a_loose_object_write_then_apply_again(validated_template, crate_copy, tmp_path) -> None:
    """The same apply writes the same blob again: the lock its first try left must be gone by then."""
    root = crate_copy()
    fp, before = repo_fingerprint(root), tree_hashes(root)
    args = driver_args(tmp_path, validated_template)
    seen = kill_inside_lock(root, args, "objects/")
    assert len(seen) == 1 and seen[0].startswith("objects/") and seen[0].endswith(".lock"), seen
    said = api.recover(root)
    assert_whole(root, fp, {"before": before}, ("before",))
    api.apply(root, validated_template.patch, validated_template.validation)
    api.undo(root)
    assert_whole(root, fp, {"before": before}, ("before",))
    assert said[0].startswith(
        f"removed 1 file(s) a killed Rusta process left in its snapshot store: {seen[0]}"
    )


def test_a_lock_met_outside_recovery_is_one_sentence(crate_copy) -> None:
    """A stale lock that recovery has not cleared yet (another process held the patch lock) stops a
    snapshot with one sentence naming the file and the way out, never dulwich's FileLocked."""
    root = crate_copy()
    lock = snaps.store_path(root) / LATEST_LOCK
    lock.write_bytes(b"")
    (root / "src" / "lib.rs").write_text("// changed, so the snapshot writes a new commit\n")
    with pytest.raises(snaps.SnapshotError) as err:
        snaps.snapshot(root)
    assert str(err.value) == (
        f"Rusta's snapshot store holds {LATEST_LOCK}, left by a Rusta process that was killed while "
        "writing; the next `rusta history` (or any Rusta command that recovers) removes it."
    )
    assert api.recover(root)[0].endswith(f"{LATEST_LOCK}.")
    snaps.snapshot(root)


def test_kill_while_the_store_is_being_made_then_apply(validated_template, crate_copy, tmp_path) -> None:
    """A crate's first snapshot makes the store; killed midway, no half-made store may stop the next."""
    root = crate_copy()
    shutil.rmtree(snaps.store_path(root))
    fp, before = repo_fingerprint(root), tree_hashes(root)
    args = driver_args(tmp_path, validated_template)
    assert kill_inside_lock(root, args, "/branches", hook="RUSTA_TEST_STOP_AFTER_MKDIR") == []
    api.recover(root)
    api.apply(root, validated_template.patch, validated_template.validation)
    api.undo(root)
    assert_whole(root, fp, {"before": before}, ("before",))


HALF_MADE = [(), ("branches", "refs/tags", "refs/heads", "hooks", "info")]


@pytest.mark.parametrize("made", HALF_MADE)
def test_a_half_made_store_is_said_in_one_sentence_then_made_again(crate_copy, made) -> None:
    """The shapes an older Rusta's store maker left when killed before objects/: the folder alone,
    or its first folders. A snapshot says so in one sentence; recovery makes the store again."""
    root = crate_copy()
    store = snaps.store_path(root)
    shutil.rmtree(store)
    store.mkdir()
    for d in made:
        (store / d).mkdir(parents=True)
    with pytest.raises(snaps.SnapshotError, match="was left half made by a Rusta process that was killed"):
        snaps.snapshot(root)
    assert api.recover(root)[0] == (
        "made Rusta's snapshot store again: a killed Rusta process had left it half made."
    )
    assert store_notes(root)[-1]["remade"] is True
    snaps.snapshot(root)
    assert (store / "config").is_file() and api.recover(root) == []


def test_a_store_killed_before_its_config_is_made_again(crate_copy) -> None:
    """Every folder made, HEAD and the config not yet: dulwich opens it, but objects written there
    would not be fsynced (the config asks for that), so recovery makes it again while it is empty."""
    root = crate_copy()
    store = snaps.store_path(root)
    shutil.rmtree(store)
    for d in (*HALF_MADE[1], "objects/info", "objects/pack"):
        (store / d).mkdir(parents=True)
    assert api.recover(root)[0].startswith("made Rusta's snapshot store again")
    assert b"fsyncobjectfiles = true" in (store / "config").read_bytes().lower()


def test_a_broken_store_that_holds_snapshots_is_never_removed(crate_copy) -> None:
    root = crate_copy()
    store = snaps.store_path(root)
    (store / "HEAD").unlink()
    (store / "refs").rename(store / "refs-aside")
    objects = sorted(p for p in (store / "objects").rglob("*") if p.is_file())
    with pytest.raises(snaps.SnapshotError, match="holds snapshots but cannot be opened"):
        api.recover(root)
    assert sorted(p for p in (store / "objects").rglob("*") if p.is_file()) == objects
