"""A conversion dropped inside the `.map(|x| ..)` before `collect()` (E0277: a collection of owned
items cannot be built from borrowed ones): it goes back into the closure body, not into a second
`.map(String::from)` after it. Real cargo on crates written here."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.repair.restore import assert_restored

WORDS = """pub fn words(text: &str) -> Vec<String> {
    text.split_whitespace().map(|w| w.to_string()).collect()
}
"""

TAGS = """use std::collections::HashSet;

pub fn tags(raw: &[&str]) -> HashSet<String> {
    raw.iter().map(|t| t.to_string()).collect()
}
"""

LEVELS = """pub fn levels(raw: &[u8]) -> Vec<u8> {
    raw.iter().map(|b| *b).collect()
}
"""


@pytest.mark.parametrize(
    ("name", "good", "conv", "dropped"),
    [
        ("words", WORDS, "w.to_string()", "w"),
        ("tags", TAGS, "t.to_string()", "t"),
        ("levels", LEVELS, "*b", "b"),
    ],
)
def test_the_conversion_goes_back_into_the_map_closure(
    tmp_path: Path, name: str, good: str, conv: str, dropped: str
) -> None:
    assert_restored(tmp_path, name, good.replace(f"| {conv})", f"| {dropped})"), good, validations=1)
