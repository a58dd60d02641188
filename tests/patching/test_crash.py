"""kill -9 during apply and during undo, at every step and at random times; recovery ends fully before or after.

The operation runs in a child process (tests/patching/crash_driver.py) that SIGKILLs itself at the
step named by RUSTA_TEST_CRASH_AT, or is killed by the test after a random delay.
"""

from __future__ import annotations

import random
import signal
import time
from pathlib import Path

import msgspec
import pytest

from diary import snapshots as snaps
from diary.devlog import DevLog
from diary.replay import check_repo, replay
from engine.patching import api
from engine.patching.transaction import CRASH_ENV, is_patch_intent
from tests.patching.helpers import git, lock_held, repo_fingerprint, spawn_driver, tree_hashes

pytestmark = [pytest.mark.slow, pytest.mark.xdist_group("patching-crash")]  # one real validation (cargo)

EARLY = [
    "after_intent",
    "after_snapshots",
    "after_snapshot_record",
    "after_write_1",
    "after_write_2",
    "after_write_3",
]
LATE = ["after_writes", "after_validation_record", "after_done"]
LAST_STDERR: list[str] = []


def run_driver(
    root: Path,
    args: list[str],
    crash_at: str | None = None,
    kill_after: float | None = None,
    fsize: int | None = None,
) -> int:
    env: dict[str, str] = {}
    if fsize:
        env["RUSTA_TEST_FSIZE"] = str(fsize)
    if crash_at:
        env[CRASH_ENV] = crash_at
    proc = spawn_driver(root, args, env)
    if kill_after is not None:
        time.sleep(kill_after)
        proc.send_signal(signal.SIGKILL)
    _, err = proc.communicate(timeout=60)
    LAST_STDERR.append(err.decode("utf-8", "replace"))
    return proc.returncode


def driver_args(tmp_path: Path, validated) -> list[str]:
    p, v = tmp_path / "patch.json", tmp_path / "validation.json"
    p.write_bytes(msgspec.json.encode(validated.patch))
    v.write_bytes(msgspec.json.encode(validated.validation))
    return ["apply", str(p), str(v)]


def assert_whole(root: Path, fp: tuple, states: dict[str, dict], allowed: tuple[str, ...]) -> str:
    """The tree is exactly one of the allowed states; the repo, the log and the files agree."""
    now = tree_hashes(root)
    match = [name for name in allowed if states[name] == now]
    assert match, f"half-applied tree after recovery: {now}"
    assert repo_fingerprint(root) == fp
    assert not list(root.rglob(f"*{snaps.TMP_MARK}*")), "a temp file was left behind"
    log = DevLog.open(root, readonly=True)
    try:
        assert not [e for e in log.open_intents() if is_patch_intent(e)]
        state = replay(log.entries())
    finally:
        log.close()
    assert check_repo(state, root).ok, check_repo(state, root)
    return match[0]


@pytest.mark.parametrize("step", EARLY + LATE)
def test_kill_during_apply_then_recover(step: str, validated_template, crate_copy, tmp_path: Path) -> None:
    root = crate_copy()
    fp, before = repo_fingerprint(root), tree_hashes(root)
    rc = run_driver(root, driver_args(tmp_path, validated_template), crash_at=step)
    assert rc == -signal.SIGKILL
    said = api.recover(root)
    assert said or step == "after_done"
    after_ref = crate_copy("reference")
    api.apply(after_ref, validated_template.patch, validated_template.validation)
    states = {"before": before, "after": tree_hashes(after_ref)}
    got = assert_whole(root, fp, states, ("before", "after"))
    assert got == ("before" if step in EARLY else "after")
    ops = [o for o in api.history(root) if o.state == "done"]
    assert [o.op for o in ops] == ([] if got == "before" else ["apply"])
    if got == "after":  # the recovered op is a normal op: undo works on it
        api.undo(root)
        assert tree_hashes(root) == before
    assert api.recover(root) == []


@pytest.mark.parametrize("step", EARLY + LATE)
def test_kill_during_undo_then_recover(step: str, validated_template, crate_copy) -> None:
    root = crate_copy()
    fp, before = repo_fingerprint(root), tree_hashes(root)
    api.apply(root, validated_template.patch, validated_template.validation)
    applied = tree_hashes(root)
    rc = run_driver(root, ["undo"], crash_at=step)
    assert rc == -signal.SIGKILL
    api.recover(root)
    got = assert_whole(root, fp, {"before": before, "applied": applied}, ("before", "applied"))
    assert got == ("applied" if step in EARLY else "before")
    if got == "applied":
        api.undo(root)
    else:
        api.redo(root)
        assert tree_hashes(root) == applied


def test_random_kills_during_apply_and_undo(validated_template, crate_copy, tmp_path: Path) -> None:
    rng = random.Random(5)
    root = crate_copy()
    fp, before = repo_fingerprint(root), tree_hashes(root)
    ref = crate_copy("reference")
    api.apply(ref, validated_template.patch, validated_template.validation)
    states = {"before": before, "after": tree_hashes(ref)}
    args = driver_args(tmp_path, validated_template)
    seen = set()
    for _ in range(6):
        current = assert_whole(root, fp, states, ("before", "after"))
        op = args if current == "before" else ["undo"]
        run_driver(root, op, kill_after=rng.uniform(0.2, 1.2))
        api.recover(root)
        seen.add(assert_whole(root, fp, states, ("before", "after")))
    assert git(root, "status", "--porcelain")  # the user's own untracked file is still reported


def test_a_write_that_fails_midway_is_rolled_back_at_once(crate_copy, tmp_path: Path) -> None:
    """A full disk (RLIMIT_FSIZE) on the second file: the first is put back before the error is shown.

    The cap (2 MB) lets the DevLog (which keeps the diff up to 1 MB) and the compressed blob through,
    and stops the 2.6 MB file itself.
    """
    from engine.patching.diffs import render
    from engine.patching.types import Patch

    root = crate_copy()
    fp, before = repo_fingerprint(root), tree_hashes(root)
    big = "".join(f"line {i} of a file too big for the disk\n" for i in range(60000)).encode()  # 2.6 MB
    diff = render({"NOTES.txt": ((root / "NOTES.txt").read_bytes(), None), "assets/big.txt": (None, big)})
    patch = Patch.new(diff, "drop the notes, add a big asset")
    validation = api.validate(root, patch)
    assert validation.green, validation.reason
    (tmp_path / "p.json").write_bytes(msgspec.json.encode(patch))
    (tmp_path / "v.json").write_bytes(msgspec.json.encode(validation))
    rc = run_driver(root, ["apply", str(tmp_path / "p.json"), str(tmp_path / "v.json")], fsize=2_000_000)
    assert rc == 2
    assert LAST_STDERR[-1].splitlines()[-1] == (
        "engine.patching.errors.PatchError: cannot write assets/big.txt: File too large. "
        f"Then: interrupted apply of {patch.id}: rolled back 1 file(s) to their content before it."
    )
    assert (root / "NOTES.txt").exists() and not (root / "assets").exists()
    assert_whole(root, fp, {"before": before}, ("before",))
    assert api.recover(root) == [], "the failing process already rolled itself back"
    assert [o.state for o in api.history(root)] == ["rolled_back"]


@pytest.mark.parametrize("step", ["after_snapshot_record", "after_write_2", "after_validation_record"])
def test_kill_during_redo_then_recover(step: str, validated_template, crate_copy) -> None:
    root = crate_copy()
    fp, before = repo_fingerprint(root), tree_hashes(root)
    api.apply(root, validated_template.patch, validated_template.validation)
    applied = tree_hashes(root)
    api.undo(root)
    assert run_driver(root, ["redo"], crash_at=step) == -signal.SIGKILL
    api.recover(root)
    got = assert_whole(root, fp, {"before": before, "applied": applied}, ("before", "applied"))
    assert got == ("applied" if step == "after_validation_record" else "before")
    if got == "before":
        api.redo(root)  # the interrupted redo is still waiting on the redo stack
    assert tree_hashes(root) == applied


def test_recovery_waits_a_moment_for_the_patch_lock(validated_template, crate_copy, tmp_path: Path) -> None:
    """A process killed while it forked (`git ls-files`) leaves the fork holding the patch lock until it
    execs, which on a loaded machine is a moment after the kill. Recovery right then waits for it,
    rather than leaving the interrupted op open; another process here holds the lock for 0.5 s."""
    root = crate_copy()
    fp, before = repo_fingerprint(root), tree_hashes(root)
    assert (
        run_driver(root, driver_args(tmp_path, validated_template), crash_at="after_intent")
        == -signal.SIGKILL
    )
    with lock_held(root / ".rusta" / "patching.lock", 0.5):
        said = api.recover(root)  # returns once the holder let go by itself
    patch_id = validated_template.patch.id
    assert said == [f"interrupted apply of {patch_id}: stopped before writing any file; nothing to undo."]
    assert_whole(root, fp, {"before": before}, ("before",))
