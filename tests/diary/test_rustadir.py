"""The DevLog's first record must not show up in the user's `git status`."""

from __future__ import annotations

import subprocess

from diary.devlog import DevLog


def test_first_diary_record_leaves_git_status_clean(tmp_path):
    subprocess.run(["git", "init", "-q", str(tmp_path)], check=True)
    (tmp_path / "README").write_text("x\n")
    subprocess.run(["git", "-C", str(tmp_path), "add", "README"], check=True)
    subprocess.run(
        ["git", "-C", str(tmp_path), "-c", "user.name=t", "-c", "user.email=t@t", "commit", "-qm", "init"],
        check=True,
    )
    with DevLog.open(tmp_path) as log:
        log.append("note", {"summary": "hello"})
    status = subprocess.run(
        ["git", "-C", str(tmp_path), "status", "--porcelain"], capture_output=True, text=True
    )
    assert status.stdout == ""
    assert (tmp_path / ".rusta" / ".gitignore").read_text().strip().endswith("*")


def test_crate_in_an_ignored_folder_lists_its_own_files(tmp_path):
    """The demo crate lives in examples/, which the project's .gitignore ignores: Rusta must still
    see its files (by the crate's own rules), or every patch there would be refused."""
    from diary.worktree import list_files

    subprocess.run(["git", "init", "-q", str(tmp_path)], check=True)
    (tmp_path / ".gitignore").write_text("examples/demo/\n")
    crate = tmp_path / "examples" / "demo"
    (crate / "src").mkdir(parents=True)
    (crate / "Cargo.toml").write_text('[package]\nname = "demo"\nversion = "0.1.0"\n')
    (crate / "src" / "lib.rs").write_text("pub fn f() {}\n")
    (crate / ".gitignore").write_text("scratch.txt\n")
    (crate / "scratch.txt").write_text("ignored by the crate's own rules\n")
    assert list_files(crate) == [".gitignore", "Cargo.toml", "src/lib.rs"]
    # A crate that is not ignored still lists through git (its ignore rules and all).
    (tmp_path / "src").mkdir()
    (tmp_path / "src" / "main.rs").write_text("fn main() {}\n")
    assert "src/main.rs" in list_files(tmp_path) and "examples/demo/src/lib.rs" not in list_files(tmp_path)
