"""A clone's cost is read off the cloned value's declared type: a collection of references is
copied as references, never said to copy the data (`engine.explain.copycost.declared_clone_cost`;
real cargo on a crate written here)."""

from __future__ import annotations

from pathlib import Path

import pytest

from engine.explain.copycost import declared_clone_cost
from engine.explain.validation import validate
from tests.explain.crates import explain_lib
from tests.explain.programs import LENGTHS


def test_a_collection_of_references_is_priced_as_references() -> None:
    refs = "copies only the references (not the data they point to) into a new"
    assert declared_clone_cost("Vec<&[u64]>") == f"{refs} `Vec`"
    assert declared_clone_cost("std::collections::HashMap<&str, &Path>") == f"{refs} `HashMap`"
    # an owned element is copied with its collection; a shared pointer is not copied at all
    assert declared_clone_cost("Vec<String>") == "allocates and copies the `Vec<String>`"
    assert declared_clone_cost("HashMap<&str, String>") == "allocates and copies the `HashMap<&str, String>`"
    assert declared_clone_cost("Rc<Vec<u8>>") == "copies a pointer and bumps a reference count"
    assert declared_clone_cost("Point") == ""  # no fact: nothing said


@pytest.mark.slow
def test_a_fix_cloning_references_says_so(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setenv("RUSTA_CACHE_DIR", str(tmp_path / "cache"))
    stories = explain_lib(tmp_path, "lengths", LENGTHS)
    run = validate(stories, tmp_path / "lengths")
    cloned = [f for e in run.explanations for f in e.fixes if any("words.clone()" in s for s in f.shows)]
    assert cloned, [f.name for e in run.explanations for f in e.fixes]
    for f in cloned:
        assert "copies only the references (not the data they point to) into a new `Vec`" in f.cost, f.cost
        assert "copies the value" not in f.cost, f.cost
