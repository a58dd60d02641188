"""The DevLog's first record must not show up in the user's `git status`."""

from __future__ import annotations

import subprocess

from diary.devlog import DevLog


def test_first_diary_record_leaves_git_status_clean(tmp_path):
    subprocess.run(["git", "init", "-q", str(tmp_path)], check=True)
    (tmp_path / "README").write_text("x\n")
    subprocess.run(["git", "-C", str(tmp_path), "add", "README"], check=True)
    subprocess.run(
        ["git", "-C", str(tmp_path), "-c", "user.name=t", "-c", "user.email=t@t", "commit", "-qm", "init"], check=True
    )
    with DevLog.open(tmp_path) as log:
        log.append("note", {"summary": "hello"})
    status = subprocess.run(["git", "-C", str(tmp_path), "status", "--porcelain"], capture_output=True, text=True)
    assert status.stdout == ""
    assert (tmp_path / ".rusta" / ".gitignore").read_text().strip().endswith("*")
