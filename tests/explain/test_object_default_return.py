"""A code-less "lifetime may not live long enough" where a method returns a trait object written
without a lifetime (`Box<dyn Iterator<Item = &String>>` from `&self`): the story says the object
means `+ 'static` (rustc's help: "the trait object captures data from argument"), and offers no
"tie the lifetimes in the signature", which does not reach the object's default (real cargo)."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.explain.crates import explain_lib, story, story_text

ROSTER = """pub struct Roster {
    names: Vec<String>,
}

impl Roster {
    pub fn long_names(&self) -> Box<dyn Iterator<Item = &String>> {
        Box::new(self.names.iter().filter(|n| n.len() > 3))
    }
}
"""

# a closure object from a `&str` argument: the same default, another shape
MATCHER = """pub fn matcher(word: &str) -> Box<dyn Fn(&str) -> bool> {
    Box::new(move |s| s.contains(word))
}
"""


@pytest.mark.slow
@pytest.mark.parametrize(
    ("name", "src", "at"), [("roster", ROSTER, "Box::new(self"), ("matcher", MATCHER, "Box::new(move")]
)
def test_a_returned_bare_object_is_said_to_mean_static(tmp_path: Path, monkeypatch, name, src, at) -> None:
    monkeypatch.setenv("RUSTA_CACHE_DIR", str(tmp_path / "cache"))
    e = story(explain_lib(tmp_path, name, src), src, at)
    assert e.message.startswith("lifetime may not live long enough"), e.message
    said = story_text(e)
    assert "`Box<dyn Trait + 'static>`" in said, said
    assert "tie the lifetimes in the signature" not in said, said
    assert "let the object borrow the argument" in said, said
