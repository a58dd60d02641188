"""Apply, undo, redo on real git repos and plain folders: exact files, user edits protected, repo untouched."""

from __future__ import annotations

import os
import shutil
import stat
from pathlib import Path

import pytest

from diary.devlog import DevLog
from diary.replay import check_repo, replay
from engine.patching import api
from engine.patching.errors import NothingToDo, StaleValidation, UserEdited
from tests.patching.helpers import GOOD_FILES, git, lock_held, repo_fingerprint, tree_hashes

pytestmark = [
    pytest.mark.slow,
    pytest.mark.xdist_group("patching-transaction"),
]  # one real validation (cargo)

UNTOUCHED = ("run.sh", "logo.bin", "src/text.rs", "Cargo.toml", "scratch.txt")


def log_matches_repo(root: Path) -> None:
    log = DevLog.open(root, readonly=True)
    try:
        state = replay(log.entries())
    finally:
        log.close()
    assert not state.open_tasks and not state.problems, state
    assert check_repo(state, root).ok, check_repo(state, root)


def test_apply_undo_redo_round_trip_in_a_git_repo(validated_template, crate_copy) -> None:
    root = crate_copy()
    fp = repo_fingerprint(root)
    status0 = git(root, "status", "--porcelain")
    before, others = tree_hashes(root), tree_hashes(root, UNTOUCHED)
    rec = api.apply(root, validated_template.patch, validated_template.validation)
    assert rec.op == "apply" and rec.files == GOOD_FILES
    after = tree_hashes(root)
    assert after != before and after["NOTES.txt"] is None and after["src/extra.rs"]
    assert repo_fingerprint(root) == fp
    assert set(git(root, "status", "--porcelain").splitlines()) == set(status0.splitlines()) | {
        " D NOTES.txt",
        " M src/lib.rs",
        " M src/math.rs",
        "?? src/extra.rs",
    }
    assert stat.S_IMODE((root / "src" / "lib.rs").stat().st_mode) == 0o640, (
        "a patched file keeps its permissions"
    )
    undo = api.undo(root)
    assert undo.reverts == rec.op_id and tree_hashes(root) == before
    assert git(root, "status", "--porcelain") == status0 and repo_fingerprint(root) == fp
    assert stat.S_IMODE((root / "src" / "lib.rs").stat().st_mode) == 0o640
    redo = api.redo(root)
    assert redo.op == "redo" and tree_hashes(root) == after
    again = api.undo(root)
    assert tree_hashes(root) == before
    undo_of_undo = api.undo(root, op_id=again.op_id)
    assert undo_of_undo.op == "redo" and tree_hashes(root) == after
    with pytest.raises(NothingToDo):
        api.redo(root)
    assert [o.op for o in api.history(root)] == ["apply", "undo", "redo", "undo", "redo"]
    assert tree_hashes(root, UNTOUCHED) == others and os.readlink(root / "lib-link") == "src/lib.rs"
    assert os.access(root / "run.sh", os.X_OK)
    assert repo_fingerprint(root) == fp
    log_matches_repo(root)


def test_plain_folder_without_git(validated_template, crate_copy) -> None:
    root = crate_copy()
    shutil.rmtree(root / ".git")
    before = tree_hashes(root)
    api.apply(root, validated_template.patch, validated_template.validation)
    assert tree_hashes(root)["src/extra.rs"] is not None
    api.undo(root)
    assert tree_hashes(root) == before
    assert not (root / "src" / "extra.rs").exists()
    log_matches_repo(root)


def test_undo_refuses_to_overwrite_a_user_edit(validated_template, crate_copy) -> None:
    root = crate_copy()
    api.apply(root, validated_template.patch, validated_template.validation)
    lib = root / "src" / "lib.rs"
    edited = lib.read_text() + "// the user's own line\n"
    lib.write_text(edited)
    with pytest.raises(
        UserEdited,
        match=r"src/lib.rs changed since .*Commit or stash your edit first, or run `rusta undo --force`",
    ):
        api.undo(root)
    assert lib.read_text() == edited and (root / "src" / "extra.rs").exists()
    op, diffs = api.pending_undo(root)
    assert op.op == "apply" and set(diffs) == {"src/lib.rs"}
    forced = api.undo(root, force=True)
    assert "user's own line" not in lib.read_text()
    api.undo(root, op_id=forced.op_id)  # the forced undo kept the edit in its snapshot: undo it back
    assert lib.read_text() == edited


def test_redo_refuses_to_overwrite_a_user_edit(validated_template, crate_copy) -> None:
    root = crate_copy()
    api.apply(root, validated_template.patch, validated_template.validation)
    api.undo(root)
    (root / "NOTES.txt").write_text("rewritten by the user\n")
    with pytest.raises(UserEdited, match="NOTES.txt changed since the undo"):
        api.redo(root)
    assert (root / "NOTES.txt").read_text() == "rewritten by the user\n"


def test_stale_validation_is_refused(validated_template, crate_copy) -> None:
    root = crate_copy()
    math = root / "src" / "math.rs"
    math.write_text(math.read_text() + "// edited after validation\n")
    with pytest.raises(StaleValidation, match="src/math.rs changed after patch .* was validated"):
        api.apply(root, validated_template.patch, validated_template.validation)
    assert math.read_text().endswith("// edited after validation\n")
    assert api.history(root) == []


def test_nothing_to_undo_is_one_sentence(crate_copy) -> None:
    root = crate_copy()
    with pytest.raises(NothingToDo, match="nothing to undo"):
        api.undo(root)
    with pytest.raises(NothingToDo, match="nothing to redo"):
        api.redo(root)


def test_a_second_process_waits_then_says_busy(validated_template, crate_copy, monkeypatch) -> None:

    from engine.patching import transaction
    from engine.patching.errors import Busy

    root = crate_copy()
    api.apply(root, validated_template.patch, validated_template.validation)
    applied = tree_hashes(root)
    with lock_held(root / ".rusta" / "patching.lock", 30):
        monkeypatch.setattr(transaction, "LOCK_WAIT_S", 0.3)
        with pytest.raises(Busy, match="another Rusta process"):
            api.undo(root)
        assert api.recover(root) == ["another Rusta process is patching this crate; recovery is left to it."]
    assert tree_hashes(root) == applied
    api.undo(root)  # the lock is free again
