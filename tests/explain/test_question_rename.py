"""A rename into a predicate (`.sorted()` -> `.is_sorted()`) is flagged as a change of meaning; a
comparison that already asked the question (`.len() == 0` -> `.is_empty()`, clippy's `len_zero`) is
not. Pure: diffs written here."""

from __future__ import annotations

import pytest

from engine.explain.meaning import renamed_to_question


def _diff(old: str, new: str) -> str:
    return f"--- a/src/lib.rs\n+++ b/src/lib.rs\n@@ -1,1 +1,1 @@\n-{old}\n+{new}\n"


@pytest.mark.parametrize(
    ("old", "new"),
    [
        ("    if v.len() == 0 {", "    if v.is_empty() {"),
        ("    let none = s.len() != 0;", "    let none = !s.is_empty();"),
    ],
)
def test_a_compared_call_renamed_to_its_question_keeps_its_meaning(old: str, new: str) -> None:
    assert renamed_to_question(_diff(old, new)) == ""


def test_a_value_call_renamed_to_a_question_is_flagged() -> None:
    assert "meaning changes" in renamed_to_question(
        _diff('    println!("{:?}", v.sorted());', '    println!("{:?}", v.is_sorted());')
    )
