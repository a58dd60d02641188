"""A step may trade its error for errors of another kind that later steps fix: a borrowed field with
no lifetime becomes an owned `String`, then each use converts. Real cargo."""

from __future__ import annotations

from pathlib import Path

import pytest

from engine.repair.search import repair
from tests.explain.crates import write_lib

STR_FIELD = """pub struct User {
    pub name: &str,
    pub age: u32,
}

pub fn make(n: &str) -> User {
    User { name: n, age: 1 }
}

pub fn hold(names: Vec<String>) -> Vec<User> {
    names.iter().map(|n| User { name: n, age: 0 }).collect()
}
"""


@pytest.mark.slow
def test_a_field_made_owned_and_every_use_converted(tmp_path: Path) -> None:
    root = write_lib(tmp_path, "users", STR_FIELD)
    result = repair(root, budget=12, rank_with_lm=False, accept="maybe")
    assert result.status == "fixed", result.message
    text = dict(result.files)["src/lib.rs"].decode()
    assert "pub name: String," in text
    assert "User { name: n.to_string(), age: 1 }" in text or "User { name: n.to_owned(), age: 1 }" in text
    assert (root / "src" / "lib.rs").read_text() == STR_FIELD  # the user's file is untouched
    assert any(t.candidate.family == "op:owned-field" for t in result.steps)
