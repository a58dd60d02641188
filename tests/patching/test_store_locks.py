"""kill -9 inside a write of the snapshot store: the lock file dulwich leaves never stops undo or apply.

The child (tests/patching/crash_driver.py) stops itself just after dulwich creates the lock file of
a real write (the `latest` ref, a loose object); the test sees the lock on disk and SIGKILLs the
child there. Recovery must remove the lock and say so; then undo (or the same apply again) works
and the user's files, HEAD and index are whole.
"""

from __future__ import annotations

import os
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


def kill_inside_lock(root: Path, args: list[str], text: str) -> list[str]:
    """Run the op in a child, SIGKILL it while a dulwich lock file named like `text` exists; the
    store's leftovers seen at the kill, relative to the store."""
    proc = spawn_driver(root, args, {"RUSTA_TEST_STOP_IN_LOCK": text})
    try:
        _, status = os.waitpid(proc.pid, os.WUNTRACED)
        assert os.WIFSTOPPED(status), f"the child ended without meeting a lock like {text!r}"
        store = snaps.store_path(root)
        seen = [str(p.relative_to(store)) for p in storelocks.leftovers(store)]
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
