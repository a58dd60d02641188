"""E0596 on a binding declared without `mut` names the lines that borrow it mutably (#18, Seen 9).
The root cause is the declaration (where `mut` goes), but the user wrote the borrows; rustc marks
each "cannot borrow as mutable", and Rusta's own Why named none of them. Real cargo on two crates of
the shape: a `Vec` pushed twice, and a `String` lent as `&mut` to a fn, then changed by a method."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.cli_runner import rusta
from tests.explain.crates import write_lib

pytestmark = pytest.mark.slow

PUSHES = """\
pub fn grow() -> usize {
    let v = Vec::new();
    v.push(1u8);
    v.push(2u8);
    v.len()
}
"""

LENT = """\
fn fill(s: &mut String) {
    s.push('!');
}

pub fn shout() -> String {
    let s = String::from("hi");
    fill(&mut s);
    s.push_str(" there");
    s
}
"""


@pytest.mark.parametrize(
    ("name", "src", "said"),
    [
        (
            "pushes",
            PUSHES,
            "`v` is borrowed mutably at lines 3 and 4 of src/lib.rs (`push`), and a mutable borrow needs "
            "the `mut` that the declaration of `v` at line 2 lacks.",
        ),
        (
            "lent",
            LENT,
            "`s` is borrowed mutably at lines 7 and 8 of src/lib.rs (`&mut`, `push_str`), and a mutable "
            "borrow needs the `mut` that the declaration of `s` at line 6 lacks.",
        ),
    ],
)
def test_e0596_names_the_borrowing_lines_in_pair_study_and_json(
    tmp_path: Path, name: str, src: str, said: str
) -> None:
    root = write_lib(tmp_path, name, src)
    pair = rusta("explain", str(root), "--no-clippy", "--no-validate")
    assert f"Why: {said}" in pair.stdout, pair.stdout
    study = rusta("explain", str(root), "--no-clippy", "--no-validate", "--mode", "study", input="")
    why = study.stdout.split("\nWhy\n", 1)[1].split("\n\n", 1)[0]
    assert said in " ".join(why.split()), study.stdout
    out = rusta("explain", str(root), "--json", "--no-clippy").stdout
    (story,) = [json.loads(ln) for ln in out.splitlines() if ln.startswith("{")]
    assert story["code"] == "E0596", story
    assert story["root_cause"]["line"] == int(said.rsplit("line ", 1)[1].split()[0]), story
    assert story["summary"] == said and story["why"].startswith(said), story
