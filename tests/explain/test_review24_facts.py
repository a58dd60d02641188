"""Option texts that a fact decides, checked with real cargo on small crates (review 24).

- removing a `*` from a field reached through `&mut` changes the field itself: "the value is
  already a copy" is said only of a binding that owns a primitive `Copy` value;
"""

from __future__ import annotations

import pytest

from tests.explain.crates import explain_lib
from tests.explain.crates import story as _story
from tests.explain.crates import story_text as _text

pytestmark = pytest.mark.slow

DEREFS = """pub struct Player {
    pub score: u32,
}

pub fn win(players: &mut Vec<Player>) {
    for p in players.iter_mut() {
        *p.score += 1;
    }
}

pub fn total(v: &[u32]) -> u32 {
    let mut t = 0;
    for x in v.iter().copied() {
        t += *x;
    }
    t
}
"""


def test_deref_of_a_field_is_not_a_copy(tmp_path):
    stories = explain_lib(tmp_path, "derefs", DEREFS)
    field = _text(_story(stories, DEREFS, "*p.score", "E0614"))
    assert "copy" not in field and "reaches that place" in field
    binding = _text(_story(stories, DEREFS, "t += *x", "E0614"))
    assert "holds its own copy" in binding
