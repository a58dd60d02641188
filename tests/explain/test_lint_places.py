"""A lint told at two places of one line names them by column (#14, review G: g06).

"2 places: src/lib.rs:2, src/lib.rs:2" reads as one place said twice; two `&String` parameters of
one signature are two places that share a line, so each is named with its column. Real clippy on a
crate written here.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from tests.cli_runner import rusta
from tests.explain.crates import write_lib

GREET = """\
pub fn greet(first: &String, last: &String) -> usize {
    first.len() + last.len()
}

pub fn shout(word: &String) -> String {
    word.to_uppercase()
}
"""


@pytest.mark.slow
def test_two_places_on_one_line_are_told_apart_by_column(tmp_path: Path) -> None:
    root = write_lib(tmp_path, "greet", GREET)
    out = rusta("explain", str(root), "--mode", "pair", "--no-validate", columns=200).stdout
    said = next((ln for ln in out.splitlines() if re.match(r"Rusta: 3 places: ", ln)), None)
    assert said is not None, out
    assert re.search(r"src/lib\.rs:1:\d+, src/lib\.rs:1:\d+, src/lib\.rs:5\b(?!:)", said), said


PAIR = """\
pub fn join(a: &String, b: &String) -> usize {
    a.len() + b.len()
}
"""


@pytest.mark.slow
def test_one_more_place_is_singular(tmp_path: Path) -> None:
    root = write_lib(tmp_path, "pair", PAIR)
    out = rusta("explain", str(root), "--mode", "pair", "--no-validate", columns=200).stdout
    assert out.splitlines()[0].endswith("(+1 more place)"), out
