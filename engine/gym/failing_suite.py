"""Gym crates whose suite already fails: one test broken and committed before the mistake is made.

A user's crate often has a test that fails whatever Rusta does (a doctest that depends on the
platform, a test that needs an absent dev-dependency). The repair must judge its fix against that
baseline, never blame the patch for it, and the gym must judge the outcome the same way. This module
makes such a crate from a passing one: `families.fail_one_test` breaks one plain test, the suite is
run to see that exactly that test fails, and the tree is committed as the crate's git HEAD, which is
where a user's repository keeps the last state that compiled (`engine.repair.baseline`).
"""

from __future__ import annotations

import shutil
from pathlib import Path

from engine.gym.episodes import _lib_files
from engine.gym.errors import GymError
from engine.gym.families import fail_one_test
from engine.gym.mutate import Mutation, apply
from engine.repair.workspace import write_fresh
from toolbelt.cargo_run import run_test
from toolbelt.process import run_limited

_WHO = ["-c", "user.name=rusta gym", "-c", "user.email=gym@rusta.invalid", "-c", "commit.gpgsign=false"]


def _git(root: Path, *args: str) -> None:
    proc = run_limited(["git", *_WHO, *args], cwd=root, timeout_s=60)
    if proc.returncode != 0:
        raise GymError(
            f"`git {' '.join(args)}` failed in {root}: {proc.stderr.decode(errors='replace')[:200]}"
        )


def break_one_test(root: Path) -> tuple[Mutation, frozenset[str]] | None:
    """Break one test of the prepared, passing crate at `root` and commit the result as HEAD.

    The edit and the names of the failing tests; None, with the crate as it was, when no file has a
    plain test or the suite does not then fail in exactly that one test.
    """
    for rel in _lib_files(root):
        pre = fail_one_test(rel, (root / rel).read_bytes().decode("utf-8", "replace"))
        if pre is not None:
            break
    else:
        return None
    path = root / pre.file
    original = path.read_bytes()
    write_fresh(path, apply(original, pre))
    tests = run_test(root)
    failing = frozenset(t.name for t in tests.tests if t.status == "failed")
    if tests.status != "failed" or len(failing) != 1:
        write_fresh(path, original)
        return None
    _git(root, "init", "-q")
    _git(root, "add", "-A")
    _git(root, "commit", "-q", "-m", "a crate whose suite already fails")
    return pre, failing


def mend(root: Path, pre: Mutation) -> None:
    """The crate as it was before `break_one_test`: the test whole again, no repository."""
    data = (root / pre.file).read_bytes()
    added = pre.replacement.encode()
    if data[pre.start : pre.start + len(added)] == added:
        write_fresh(root / pre.file, data[: pre.start] + data[pre.start + len(added) :])
    shutil.rmtree(root / ".git", ignore_errors=True)
