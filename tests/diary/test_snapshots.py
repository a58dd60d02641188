"""The snapshot store on real git repos and real plain folders: capture, diff, restore, and the user's repo untouched."""

from __future__ import annotations

import hashlib
import os
import stat
from pathlib import Path

import pytest

from diary import snapshots as snaps
from tests.patching.helpers import git  # GIT_OPTIONAL_LOCKS=0: `git status` must not rewrite the index


def repo_state(repo: Path) -> tuple[str, str, str, str]:
    """What must never change: status, HEAD, the index bytes, the refs (branches and stash)."""
    index = hashlib.sha256((repo / ".git" / "index").read_bytes()).hexdigest()
    return (
        git(repo, "status", "--porcelain", "--untracked-files=all"),
        git(repo, "rev-parse", "HEAD"),
        index,
        git(repo, "for-each-ref"),
    )


def make_tree(root: Path) -> None:
    (root / "src").mkdir(parents=True)
    (root / "src" / "lib.rs").write_text("pub fn one() -> u32 { 1 }\n")
    (root / "src" / "old.rs").write_text("// to be renamed\n")
    (root / "data.bin").write_bytes(bytes(range(256)) * 4)
    (root / "run.sh").write_text("#!/bin/sh\necho hi\n")
    (root / "run.sh").chmod(0o755)
    (root / "secret.txt").write_text("private\n")
    (root / "secret.txt").chmod(0o600)
    os.symlink("src/lib.rs", root / "lib-link")
    (root / ".gitignore").write_text("*.log\n/target/\n")
    (root / "noise.log").write_text("ignored\n")
    (root / "target").mkdir()
    (root / "target" / "big").write_bytes(b"x" * 1000)


@pytest.fixture
def git_repo(tmp_path: Path) -> Path:
    root = tmp_path / "repo"
    root.mkdir()
    make_tree(root)
    git(root, "init", "-q")
    git(root, "add", "src", "data.bin", "run.sh", ".gitignore", "lib-link")
    git(root, "commit", "-qm", "init")
    (root / "untracked.rs").write_text("// new, not ignored\n")
    git(root, "stash", "list")
    return root


@pytest.fixture
def plain_dir(tmp_path: Path) -> Path:
    root = tmp_path / "plain"
    root.mkdir()
    make_tree(root)
    return root


@pytest.mark.parametrize("kind", ["git", "plain"])
def test_capture_respects_ignores_and_keeps_modes(kind: str, git_repo: Path, plain_dir: Path) -> None:
    root = git_repo if kind == "git" else plain_dir
    before = repo_state(root) if kind == "git" else None
    sid = snaps.snapshot(root)
    files = snaps.entries(root, sid)
    assert "noise.log" not in files and not any(p.startswith(("target/", ".rusta/")) for p in files)
    assert {"src/lib.rs", "data.bin", "run.sh", "lib-link", "secret.txt"} <= set(files)
    assert files["run.sh"].mode == snaps.MODE_EXEC
    assert files["lib-link"].mode == snaps.MODE_LINK
    assert files["secret.txt"].perm == 0o600
    assert snaps.read_file(root, sid, "data.bin") == bytes(range(256)) * 4
    assert snaps.read_file(root, sid, "lib-link") == b"src/lib.rs"
    assert snaps.read_file(root, sid, "absent.rs") is None
    if kind == "git":
        assert "untracked.rs" in files
        assert repo_state(root) == before, "a snapshot changed the user's git status, HEAD, index or refs"


def test_store_is_a_bare_repo_with_rusta_refs(git_repo: Path) -> None:
    sid = snaps.snapshot(git_repo)
    store = snaps.store_path(git_repo)
    assert git(store, "rev-parse", "--is-bare-repository").strip() == "true"
    assert git(store, "rev-parse", "refs/rusta/snapshots/latest").strip() == sid
    assert "Rusta <rusta@localhost>" in git(store, "log", "-1", "--format=%an <%ae>", sid)
    assert git(git_repo, "rev-parse", "HEAD") != sid


@pytest.mark.parametrize("kind", ["git", "plain"])
def test_restore_brings_back_deleted_renamed_binary_modes_and_links(
    kind: str, git_repo: Path, plain_dir: Path
) -> None:
    root = git_repo if kind == "git" else plain_dir
    before_state = repo_state(root) if kind == "git" else None
    a = snaps.snapshot(root)
    (root / "src" / "old.rs").rename(root / "src" / "new.rs")
    (root / "data.bin").write_bytes(b"\x00changed")
    (root / "run.sh").chmod(0o644)
    (root / "secret.txt").unlink()
    (root / "lib-link").unlink()
    os.symlink("data.bin", root / "lib-link")
    (root / "src" / "deep").mkdir()
    (root / "src" / "deep" / "added.rs").write_text("// added\n")
    b = snaps.snapshot(root)
    changed = set(snaps.diff(root, a, b))
    assert changed == {
        "src/old.rs",
        "src/new.rs",
        "data.bin",
        "run.sh",
        "secret.txt",
        "lib-link",
        "src/deep/added.rs",
    }
    written = snaps.restore_paths(root, a, sorted(changed))
    assert set(written) == changed
    assert (root / "src" / "old.rs").read_text() == "// to be renamed\n"
    assert not (root / "src" / "new.rs").exists()
    assert not (root / "src" / "deep").exists(), "the folder the change created is removed with its last file"
    assert (root / "data.bin").read_bytes() == bytes(range(256)) * 4
    assert stat.S_IMODE((root / "run.sh").stat().st_mode) & 0o111
    assert stat.S_IMODE((root / "secret.txt").stat().st_mode) == 0o600
    assert os.readlink(root / "lib-link") == "src/lib.rs"
    assert snaps.diff(root, a, snaps.snapshot(root)) == ()
    assert not list(root.rglob(f"*{snaps.TMP_MARK}*"))
    if kind == "git":
        assert repo_state(root) == before_state


def test_incremental_snapshot_sees_same_size_edits(git_repo: Path) -> None:
    """The stat cache never hides an edit, even one of the same size made right after hashing."""
    a = snaps.snapshot(git_repo)
    lib = git_repo / "src" / "lib.rs"
    lib.write_text(lib.read_text().replace("1", "2"))
    b = snaps.snapshot(git_repo)
    assert snaps.diff(git_repo, a, b) == ("src/lib.rs",)
    lib.write_text(lib.read_text().replace("2", "3"))
    c = snaps.snapshot(git_repo)
    assert snaps.diff(git_repo, b, c) == ("src/lib.rs",)
    assert snaps.snapshot(git_repo) == c, "an unchanged tree gives the same snapshot id"


def test_derive_records_an_after_state_without_touching_files(plain_dir: Path) -> None:
    a = snaps.snapshot(plain_dir)
    b = snaps.derive(
        plain_dir, a, {"src/lib.rs": (snaps.MODE_FILE, b"changed\n"), "src/old.rs": None}, "after"
    )
    assert snaps.diff(plain_dir, a, b) == ("src/lib.rs", "src/old.rs")
    assert (plain_dir / "src" / "lib.rs").read_text() == "pub fn one() -> u32 { 1 }\n"
    assert snaps.current_entry(plain_dir, "src/lib.rs") == (
        snaps.MODE_FILE,
        snaps.entries(plain_dir, a)["src/lib.rs"].blob,
    )


def test_rusta_dir_is_invisible_to_git(git_repo: Path) -> None:
    before = git(git_repo, "status", "--porcelain", "--untracked-files=all")
    snaps.snapshot(git_repo)
    assert (git_repo / ".rusta" / "snapshots.git").is_dir()
    assert git(git_repo, "status", "--porcelain", "--untracked-files=all") == before


def test_missing_snapshot_is_one_sentence(plain_dir: Path) -> None:
    snaps.snapshot(plain_dir)
    with pytest.raises(snaps.SnapshotError, match="not in Rusta's store"):
        snaps.read_file(plain_dir, "0" * 40, "src/lib.rs")


def test_readers_never_make_the_store(plain_dir: Path) -> None:
    """Reading from a crate Rusta never patched says so in one sentence and leaves no `.rusta/`
    behind: making the store is a writer's act, under the writer lock."""
    for read in (
        lambda: snaps.read_file(plain_dir, "0" * 40, "src/lib.rs"),
        lambda: snaps.read_blob(plain_dir, "0" * 40),
        lambda: snaps.read_blobs(plain_dir, ["0" * 40]),
    ):
        with pytest.raises(snaps.SnapshotError, match="no snapshot store .* nothing to read back"):
            read()
    assert not snaps.store_path(plain_dir).exists()


def test_a_repo_without_the_git_program_falls_back_to_gitignore_files(git_repo: Path, monkeypatch) -> None:
    monkeypatch.setenv("PATH", "/nonexistent")  # no `git` to run: the real situation, not a mock
    files = snaps.entries(git_repo, snaps.snapshot(git_repo))
    assert "noise.log" not in files and "untracked.rs" in files and "src/lib.rs" in files
