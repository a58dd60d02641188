"""A long random walk of apply / undo / redo / undo-of-undo against a model; the op log, the DevLog's
replay and the files must agree after every step."""

from __future__ import annotations

import random

import pytest

from diary.devlog import DevLog
from diary.replay import check_repo, replay
from engine.patching import api, oplog
from engine.patching.errors import NothingToDo, StaleValidation
from tests.patching.helpers import tree_hashes

pytestmark = [
    pytest.mark.slow,
    pytest.mark.xdist_group("patching-transaction"),
]  # one real validation (cargo)


def test_random_walk_matches_the_model(validated_template, crate_copy) -> None:
    root = crate_copy()
    before = tree_hashes(root)
    t = validated_template
    api.apply(root, t.patch, t.validation)
    after = tree_hashes(root)
    state, can_redo = "after", False
    rng = random.Random(11)
    for step in range(30):
        action = rng.choice(["undo", "redo", "undo-of-undo", "apply"])
        if action == "undo":
            if state == "after":
                api.undo(root)
                state, can_redo = "before", True
            else:
                with pytest.raises(NothingToDo):
                    api.undo(root)
        elif action == "redo":
            if can_redo:
                api.redo(root)
                state, can_redo = "after", False
            else:
                with pytest.raises(NothingToDo):
                    api.redo(root)
        elif action == "undo-of-undo":
            last = api.history(root)[-1]
            if last.op != "undo":
                continue
            api.undo(root, op_id=last.op_id)
            state, can_redo = "after", False
        elif state == "before":
            api.apply(root, t.patch, t.validation)
            state, can_redo = "after", False
        else:
            with pytest.raises(StaleValidation):
                api.apply(root, t.patch, t.validation)
        assert tree_hashes(root) == (after if state == "after" else before), f"step {step}: {action}"
        st = oplog.stacks(root)
        assert bool(st.undo) == (state == "after") and bool(st.redo) == can_redo, f"step {step}: {action}"
    log = DevLog.open(root, readonly=True)
    try:
        rs = replay(log.entries())
    finally:
        log.close()
    assert not rs.problems and not rs.open_tasks, rs.problems
    assert [p.patch_id for p in rs.applied] == ([t.patch.id] if state == "after" else [])
    assert check_repo(rs, root).ok
