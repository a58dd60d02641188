"""Indexing a tuple with `[]` (E0608) is answered with the tuple's positions, never with advice to
bind another value. Real cargo."""

from __future__ import annotations

import pytest

from tests.explain.crates import explain_lib, story_text

pytestmark = pytest.mark.slow

TUPLE_INDEX = """pub fn span(bounds: (i32, i32)) -> i32 {
    bounds[1] - bounds[0]
}
"""


def test_a_tuple_indexed_with_brackets_is_told_its_positions(tmp_path):
    stories = explain_lib(tmp_path, "bounds", TUPLE_INDEX)
    e = stories[0]
    assert e.code == "E0608"
    assert [o.name for o in e.options][0] == "use the tuple's positions"
    assert "Bind the collection" not in story_text(e)
    assert "indexes a tuple" in e.summary
