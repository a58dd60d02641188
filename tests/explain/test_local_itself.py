"""E0515 on a borrow of a local: "return `x` itself" only where the local holds the owned form of
the return type (#14). The general mistake: a template filled with a local's name whose type cannot
be what is returned (a `PathBuf` for `-> &str`). The local's type comes from its `let` (syntax
layer); the return type from the signature. Real cargo on crates written here."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.explain.crates import explain_lib, story

pytestmark = pytest.mark.slow

GREETING = """pub fn greeting(name: &str) -> &str {
    let text = format!("hello {name}");
    text.trim()
}
"""

SUFFIXED = """use std::path::PathBuf;

pub fn suffixed(p: &str) -> &str {
    let buf = PathBuf::from(p).with_extension("bak");
    buf.to_str().unwrap()
}
"""


def _names(tmp: Path, name: str, src: str, line: str) -> list[str]:
    e = story(explain_lib(tmp, name, src), src, line, "E0515")
    return [f"{o.name}: {o.how}" for o in e.options]


def test_the_local_itself_is_offered_when_it_holds_the_owned_return_type(tmp_path: Path) -> None:
    names = _names(tmp_path, "greeting", GREETING, "text.trim()")
    assert any(n.startswith("return `text` itself:") for n in names), names


def test_the_local_itself_is_not_offered_when_its_type_is_another(tmp_path: Path) -> None:
    names = _names(tmp_path, "suffixed", SUFFIXED, "buf.to_str()")
    assert names and not any("`buf` itself" in n or "return `buf`" in n for n in names), names
