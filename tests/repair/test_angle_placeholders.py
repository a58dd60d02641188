"""rustc's HasPlaceholders suggestions with a `<name>` hole (`for <item> in &prices`) never compile and
are no candidates, like `/* value */`; generics and qualified paths in a replacement are code. Pure."""

from __future__ import annotations

import pytest

from engine.edits import Edit, Suggestion


def _holes(replacement: str, applicability: str = "HasPlaceholders") -> bool:
    edit = Edit(file="src/lib.rs", start=0, end=0, replacement=replacement)
    return Suggestion(message="m", edits=(edit,), applicability=applicability).has_placeholder


@pytest.mark.parametrize("text", ["for <item> in &prices", "f(<value>)", "let x = /* value */;"])
def test_a_hole_is_a_placeholder(text: str) -> None:
    assert _holes(text)


@pytest.mark.parametrize("text", ["Vec<item>", "impl<T> Stack<T>", "foo::<u32>()", " <u8>::MAX", "a < b"])
def test_code_in_angle_brackets_is_not(text: str) -> None:
    assert not _holes(text)


def test_only_rustc_s_placeholder_suggestions_are_read_for_holes() -> None:
    assert not _holes("for <item> in &prices", "MaybeIncorrect")
