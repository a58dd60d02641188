"""`.clone()` of a `&T` where `T` is a type parameter: the root cause is where `T` is declared, and
the story says a bound goes there, never that "its definition can derive" `Clone` (#14, review D
on d02). A type parameter has no definition: the caller picks the type, only a bound promises it.

Real cargo on a library crate written here (another program than the reviewer's crate).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.explain.crates import explain_lib, line_of, story

pytestmark = pytest.mark.slow

POOL = """pub struct Pool<T> {
    spare: Vec<T>,
}

impl<T: Default> Pool<T> {
    pub fn keep(&mut self, item: &T) {
        self.spare.push(item.clone());
    }
}
"""


def test_a_cloned_type_parameter_gets_a_bound_where_it_is_declared(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setenv("RUSTA_CACHE_DIR", str(tmp_path / "cache"))
    stories = explain_lib(tmp_path, "pool", POOL)
    e = story(stories, POOL, "item.clone()", "E0308")
    assert "can derive" not in e.summary, e.summary
    assert "`T` is a type parameter" in e.summary and "`Clone` bound" in e.summary, e.summary
    assert e.root_cause.line == line_of(POOL, "impl<T: Default> Pool<T>")
