"""E0106 on a returned reference: the "return an owned value" option names the owned form of the
type the signature returns, from rustc's `&` (`&str` -> `String`, `&[T]` -> `Vec<T>`, `&T` -> `T`
with a clone), never a fixed `String` instead of `&str` (#14, review L l17).

Real cargo on a crate written here: three fns with two reference inputs and an elided output
lifetime, returning `&Config`, `&[u8]` and `&str`.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from engine.explain.validation import validate
from modes.rendering import render_text
from tests.explain.crates import explain_lib, line_of

pytestmark = pytest.mark.slow

PICK = """#[derive(Clone)]
pub struct Config {
    pub name: String,
}

pub fn newer(a: &Config, b: &Config) -> &Config {
    if a.name > b.name { a } else { b }
}

pub fn longer_bytes(a: &[u8], b: &[u8]) -> &[u8] {
    if a.len() >= b.len() { a } else { b }
}

pub fn first_word(a: &str, b: &str) -> Option<&str> {
    a.split(b).next()
}
"""


def test_owned_return_names_the_returned_types_owned_form(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setenv("RUSTA_CACHE_DIR", str(tmp_path / "cache"))
    stories = explain_lib(tmp_path, "pick", PICK)
    run = validate(stories, tmp_path / "pick")
    by_line = {e.primary.line: e for e in run.explanations}
    for text, owned in (
        ("pub fn newer", "Return `Config` instead of `&Config`, a clone of the value"),
        ("pub fn longer_bytes", "Return `Vec<u8>` instead of `&[u8]`"),
        ("pub fn first_word", "Return `String` instead of `&str`"),
    ):
        e = by_line[line_of(PICK, text)]
        study = render_text(e, "study")
        if "bytes" in text:
            # `Vec<u8>` is code this program does not write: the evidence gate may drop the option,
            # but what is said is never the `&str` advice
            assert owned in study or "return an owned value" not in study, study
        else:
            assert owned in study, study
        if "word" not in text:
            assert "`String` instead of `&str`" not in study, study
