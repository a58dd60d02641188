"""A fix that clears one error of a story and leaves its other errors as they were is a fix that
leaves errors, never one that "does not compile" (real cargo on a crate written here).

The general mistake: a story groups several errors of one cause (a type parameter missing two
bounds); rustc suggests one bound per error. Each suggestion removes its own error and adds none, so
the other error still being there, at its own line and untouched by the edit, is what remains, not
a flaw of the edit."""

from __future__ import annotations

from pathlib import Path

import pytest

from engine.explain.validation import validate
from tests.explain.crates import explain_lib, story

# a shelf whose impl block needs `T: Clone` (last_copy) and `T: Ord` (tidy): two E0277, one story
SHELF = """pub struct Shelf<T> {
    items: Vec<T>,
}

impl<T> Shelf<T> {
    pub fn new() -> Self {
        Shelf { items: Vec::new() }
    }

    pub fn put(&mut self, item: T) {
        self.items.push(item);
    }

    pub fn last_copy(&self) -> Option<T> {
        self.items.last().cloned()
    }

    pub fn tidy(&mut self) {
        self.items.sort();
    }
}
"""


@pytest.mark.slow
def test_each_bound_rustc_suggests_fixes_its_error_and_leaves_the_other(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setenv("RUSTA_CACHE_DIR", str(tmp_path / "cache"))
    stories = explain_lib(tmp_path, "shelf", SHELF)
    e = story(stories, SHELF, ".cloned()", "E0277")
    assert len(e.diagnostics) == 2, [d.message for d in e.diagnostics]  # Clone and Ord, one cause
    i = stories.index(e)
    run = validate(stories, tmp_path / "shelf")
    failed = [(o.shows, o.fails_because) for o in run.failed[i] if o.source == "rustc"]
    # neither rustc bound is said to fail because of the other bound's error
    assert not any("is not satisfied" in why for _, why in failed), failed
    shown = [o for o in run.explanations[i].fixes if o.source == "rustc"]
    clone = [o for o in shown if any("Clone" in s for s in o.shows)]
    assert clone and clone[0].validated in ("type-checks", "compiles"), [
        (o.shows, o.validated) for o in shown
    ]
    assert not clone[0].fails_because, clone[0].fails_because
