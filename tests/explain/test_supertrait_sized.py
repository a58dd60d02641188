"""E0038 whose cause rustc's note gives as a supertrait that requires `Self: Sized` (`Clone`): the
story blames the supertrait, not a method, and offers the boxed-clone method or dropping the bound
(real cargo on a crate written here)."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.explain.crates import explain_lib, option_names, story, story_text

pytestmark = pytest.mark.slow

CLONE_SUPERTRAIT = """pub trait Widget: Clone {
    fn width(&self) -> u32;
}

#[derive(Clone)]
pub struct Button;

impl Widget for Button {
    fn width(&self) -> u32 {
        10
    }
}

pub fn total(ws: &[Box<dyn Widget>]) -> u32 {
    ws.iter().map(|w| w.width()).sum()
}
"""

# the same error from a method that returns Self keeps the method's story
METHOD_CAUSE = """pub trait Maker {
    fn make(&self) -> Self;
}

pub fn use_it(_: &dyn Maker) {}
"""


def test_a_sized_supertrait_is_the_cause_not_a_method(tmp_path: Path) -> None:
    stories = explain_lib(tmp_path, "clone_supertrait", CLONE_SUPERTRAIT)
    e = story(stories, CLONE_SUPERTRAIT, "Box<dyn Widget>", "E0038")
    assert "supertrait" in e.summary and "method" not in e.summary, e.summary
    names = option_names(e)
    assert names[:2] == ["clone through a boxed method", "drop the supertrait"], names
    assert "exclude the method from dyn" not in names and "split the trait" not in names
    assert "Box<dyn Widget>" in story_text(e)


def test_a_method_returning_self_keeps_the_method_story(tmp_path: Path) -> None:
    stories = explain_lib(tmp_path, "method_cause", METHOD_CAUSE)
    e = story(stories, METHOD_CAUSE, "&dyn Maker", "E0038")
    assert "method" in e.summary and "supertrait" not in e.summary, e.summary
    assert "exclude the method from dyn" in option_names(e)
