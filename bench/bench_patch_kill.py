"""kill -9 of `apply` and `undo` at random points: the user's files, HEAD and index stay whole.

A real git repo made from the patch fixture crate holds a real validated patch (one cargo run). Each
trial starts the operation in a child process (tests/patching/crash_driver.py: `api.apply` or
`api.undo`, as `rusta apply`/`rusta undo` run them), sends it SIGKILL after a random delay drawn over
the operation's own measured length (some kills land before the operation starts, some after it
ends, most during it), then runs recovery in this process and checks:

- the patched files equal either the state before the patch or the state after it, byte for byte;
- HEAD, the index bytes, the refs and the stash are those of the start (Rusta never touches them);
- no temporary file is left, no patch intent is left open, the DevLog's replay agrees with the tree;
- an operation that was not killed succeeded: one that fails on its own after the recovery before it
  (a lock a killed writer left in the snapshot store, say) is a problem, its last line kept.

The next trial applies when the tree is before, undoes when it is after, so undo is killed as often
as apply; at the end a last `undo` (or none) must bring back the state before, byte for byte.
`make bench-long` sets RUSTA_BENCH_PATCH_KILL_TRIALS (1,000); the default is 300.
"""

from __future__ import annotations

import os
import random
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import msgspec

from bench.quick import quick

REPO = Path(__file__).resolve().parent.parent
STORE_REPAIR = "left in its snapshot store"  # recovery's line when it removed a killed writer's locks


def _driver(root: Path, args: list[str], kill_after: float | None) -> tuple[int, float, str]:
    """One operation in a child process, killed with SIGKILL after `kill_after` seconds if still
    running: its exit status, its seconds, and the last line it wrote to stderr."""
    env = dict(os.environ, PYTHONPATH=str(REPO))
    env.pop("RUSTA_TEST_CRASH_AT", None)
    t0 = time.perf_counter()
    with tempfile.TemporaryFile() as err:
        proc = subprocess.Popen(
            [sys.executable, "-m", "tests.patching.crash_driver", str(root), *args],
            cwd=REPO, env=env, stdout=subprocess.DEVNULL, stderr=err,
        )  # fmt: skip
        if kill_after is not None:
            try:
                proc.wait(timeout=kill_after)
            except subprocess.TimeoutExpired:
                os.kill(proc.pid, signal.SIGKILL)
        rc = proc.wait(timeout=120)
        err.seek(0)
        lines = err.read().decode("utf-8", "replace").strip().splitlines()
    return rc, time.perf_counter() - t0, lines[-1] if lines else ""


def _whole(root: Path, fp: tuple, states: dict[str, dict]) -> tuple[str | None, list[str]]:
    """Which whole state the tree is in (None: half-applied), and every other problem found."""
    from diary import snapshots as snaps
    from diary.devlog import DevLog
    from diary.replay import check_repo, replay
    from engine.patching.transaction import is_patch_intent
    from tests.patching.helpers import repo_fingerprint, tree_hashes

    problems = []
    now = tree_hashes(root)
    state = next((name for name, hashes in states.items() if hashes == now), None)
    if state is None:
        problems.append(f"half-applied tree: {now}")
    if repo_fingerprint(root) != fp:
        problems.append("HEAD, index, refs or stash changed")
    if list(root.rglob(f"*{snaps.TMP_MARK}*")):
        problems.append("a temporary file was left")
    log = DevLog.open(root, readonly=True)
    try:
        if [e for e in log.open_intents() if is_patch_intent(e)]:
            problems.append("a patch intent is still open after recovery")
        checked = check_repo(replay(log.entries()), root)
    finally:
        log.close()
    if not checked.ok:
        problems.append(f"the DevLog and the tree disagree: {checked}")
    return state, problems


def run() -> dict:
    from engine.patching import api
    from engine.patching.types import Patch
    from tests.patching.helpers import diff_text, make_crate, repo_fingerprint, tree_hashes

    long_run = int(os.environ.get("RUSTA_BENCH_PATCH_KILL_TRIALS", "0") or 0)
    trials = long_run or (4 if quick() else 300)
    rng = random.Random(17)
    with tempfile.TemporaryDirectory(prefix="rusta-bench-patch-kill-") as tmp:
        base = Path(tmp)
        os.environ["RUSTA_CACHE_DIR"] = str(base / "cache")
        template = make_crate(base / "template")
        patch = Patch.new(diff_text("good.diff"), "adds double() and extra::greet, drops NOTES.txt")
        validation = api.validate(template, patch)
        assert validation.green, validation.reason
        patch_args = [str(base / "patch.json"), str(base / "validation.json")]
        Path(patch_args[0]).write_bytes(msgspec.json.encode(patch))
        Path(patch_args[1]).write_bytes(msgspec.json.encode(validation))
        root = base / "crate"
        shutil.copytree(template, root, symlinks=True)
        subprocess.run(["git", "update-index", "-q", "--refresh"], cwd=root, capture_output=True)
        fp, before = repo_fingerprint(root), tree_hashes(root)
        # the two operations whole, once each, and the start alone (a redo with nothing to redo: Python
        # and the imports): kill delays are drawn from just before the operation's work to just after it
        _, start_s, _ = _driver(root, ["redo"], None)
        _, apply_s, _ = _driver(root, ["apply", *patch_args], None)
        after = tree_hashes(root)
        _, undo_s, _ = _driver(root, ["undo"], None)
        states = {"before": before, "after": after}
        assert after != before and tree_hashes(root) == before
        counts = {
            op: {"trials": 0, "killed": 0, "failed": 0, "recovered": 0, "store": 0, "before": 0, "after": 0}
            for op in ("apply", "undo")
        }
        problems: list[str] = []
        state = "before"
        t0 = time.perf_counter()
        for _ in range(trials):
            op = "apply" if state == "before" else "undo"
            length = apply_s if op == "apply" else undo_s
            delay = rng.uniform(0.8 * start_s, 1.1 * length)
            rc, _, last = _driver(root, ["apply", *patch_args] if op == "apply" else ["undo"], delay)
            said = api.recover(root)
            got, found = _whole(root, fp, states)
            c = counts[op]
            c["trials"] += 1
            c["killed"] += rc == -signal.SIGKILL
            if rc not in (0, -signal.SIGKILL):
                c["failed"] += 1
                found.append(f"{op} failed on its own (exit {rc}): {last}")
            c["recovered"] += any(line.startswith("interrupted ") for line in said)
            c["store"] += any(STORE_REPAIR in line for line in said)
            if got is not None:
                c[got] += 1
                state = got
            problems += found
            if got is None:
                break  # a broken tree: the rest of the trials would measure nothing
        seconds = time.perf_counter() - t0
        if state == "after":
            api.undo(root)
        final_ok = tree_hashes(root) == before and repo_fingerprint(root) == fp
    rows = [
        {
            "operation": op,
            "trials": c["trials"],
            "killed by SIGKILL": c["killed"],
            "failed unkilled": c["failed"],
            "interrupted op recovered": c["recovered"],
            "store locks cleared": c["store"],
            "ended before": c["before"],
            "ended after": c["after"],
            "half-applied trees": c["trials"] - c["before"] - c["after"],
            "whole-op s": round(apply_s if op == "apply" else undo_s, 2),
        }
        for op, c in counts.items()
    ]
    rows.append(
        {
            "operation": "all",
            "trials": sum(c["trials"] for c in counts.values()),
            "half-applied trees": sum(c["trials"] - c["before"] - c["after"] for c in counts.values()),
            "process start s": round(start_s, 2),
            "other problems": len(problems),
            "undo restores the start at the end": final_ok,
            "seconds": round(seconds, 1),
        }
    )
    notes = [
        "each trial: a child process runs api.apply or api.undo (as `rusta apply`/`rusta undo` do) and is "
        "sent SIGKILL after a delay drawn uniformly from 0.8x the process's start (Python and imports, "
        "timed alone) to 1.1x the whole operation, so some kills land before its work, some after it, most "
        "during it; then recovery, then the checks",
        "half-applied trees must be 0; HEAD, index, refs and stash must be unchanged; no temp file, no open "
        "intent, the DevLog's replay equal to the tree",
        f"load at the end: {os.getloadavg()[1]:.1f} (5-min average) on {os.cpu_count()} cores",
    ]
    notes += problems[:5]
    return {"title": "kill -9 during apply and undo", "rows": rows, "notes": notes}


if __name__ == "__main__":
    import json

    print(json.dumps(run(), indent=2, default=str))
