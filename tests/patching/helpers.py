"""Shared set-up for the patching tests: real git repos made from the fixture crate, and repo fingerprints."""

from __future__ import annotations

import contextlib
import hashlib
import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
FIXTURES = Path(__file__).parent.parent / "fixtures"
DIFFS = FIXTURES / "patch_diffs"
GOOD_FILES = ("NOTES.txt", "src/extra.rs", "src/lib.rs", "src/math.rs")


def git(repo: Path, *args: str) -> str:
    env = dict(
        os.environ,
        GIT_OPTIONAL_LOCKS="0",
        GIT_AUTHOR_NAME="t",
        GIT_AUTHOR_EMAIL="t@t",
        GIT_COMMITTER_NAME="t",
        GIT_COMMITTER_EMAIL="t@t",
    )
    return subprocess.run(
        ["git", *args], cwd=repo, env=env, check=True, capture_output=True, text=True
    ).stdout


def make_crate(dest: Path, *, git_repo: bool = True) -> Path:
    """The patch_crate fixture at `dest`, committed in a fresh git repo unless `git_repo` is False."""
    shutil.copytree(FIXTURES / "patch_crate", dest, ignore=shutil.ignore_patterns("target"))
    if git_repo:
        (dest / ".gitignore").write_text("/target/\n")
        git(dest, "init", "-q")
        git(dest, "add", "-A")
        git(dest, "commit", "-qm", "base")
        (dest / "scratch.txt").write_text("an untracked file of the user's\n")
    return dest


def repo_fingerprint(repo: Path) -> tuple[str, str, str, str]:
    """HEAD, the index bytes, refs and stash: none may change when Rusta works."""
    index = hashlib.sha256((repo / ".git" / "index").read_bytes()).hexdigest()
    stash = subprocess.run(["git", "stash", "list"], cwd=repo, capture_output=True, text=True).stdout
    return git(repo, "rev-parse", "HEAD"), index, git(repo, "for-each-ref"), stash


def tree_hashes(root: Path, paths: tuple[str, ...] = GOOD_FILES) -> dict[str, str | None]:
    out = {}
    for p in paths:
        f = root / p
        out[p] = hashlib.sha256(f.read_bytes()).hexdigest() if f.exists() else None
    return out


def diff_text(name: str) -> str:
    return (DIFFS / name).read_text()


def spawn_driver(root: Path, args: list[str], env: dict[str, str]) -> subprocess.Popen[bytes]:
    """One patch operation in a child process (tests/patching/crash_driver.py), its hooks set by `env`
    alone: the caller's own crash hook is dropped first."""
    full = dict(os.environ, PYTHONPATH=str(REPO))
    full.pop("RUSTA_TEST_CRASH_AT", None)
    return subprocess.Popen(
        [sys.executable, "-m", "tests.patching.crash_driver", str(root), *args],
        cwd=REPO,
        env={**full, **env},
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )


@contextlib.contextmanager
def lock_held(lock: Path, seconds: float) -> Iterator[subprocess.Popen[str]]:
    """Another process holding `lock` with `flock`, as a second Rusta holds the patch lock, for
    `seconds` at most: the block runs once it holds, and the holder is gone when the block ends."""
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import fcntl, sys, time; f = open(sys.argv[1], 'a'); "
            f"fcntl.flock(f, fcntl.LOCK_EX); print('held', flush=True); time.sleep({seconds})",
            str(lock),
        ],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "held"
        yield holder
    finally:
        holder.kill()
        holder.wait()
