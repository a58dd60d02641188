"""E0515 on a reference to a temporary: "do not make the temporary, no copy" only where the
temporary is an owned copy of an input (`&name.trim().to_string()`: the borrow can point into
`name`); a `format!` or a concatenation makes text no input holds, so the story leads with owning
the data instead (#14). Real cargo on a crate written here."""

from __future__ import annotations

from engine.explain.validation import validate
from tests.explain.crates import explain_lib, option_names, story, story_text

SRC = """pub struct Tag { pub key: String, pub value: String }

impl Tag {
    pub fn pair(&self) -> &str {
        &format!("{}={}", self.key, self.value)
    }
    pub fn quoted(&self) -> &str {
        &("'".to_string() + &self.value + "'")
    }
    pub fn bare_key(&self) -> &str {
        &self.key.trim().to_string()
    }
}
"""


def test_the_zero_copy_way_out_is_offered_only_for_a_copy_of_an_input(tmp_path):
    stories = explain_lib(tmp_path, "tags", SRC)
    for made in ('&format!("{}={}"', '&("\'".to_string()'):
        e = story(stories, SRC, made, "E0515")
        names = option_names(e)
        assert "do not make the temporary" not in names, names
        assert "No copy" not in story_text(e)
        assert names and names[0] == "own the data", names
        assert "no input holds" in e.why and "borrows the caller's data directly" not in e.why, e.why

    copy = story(stories, SRC, "&self.key.trim().to_string()", "E0515")
    assert "do not make the temporary" in option_names(copy), option_names(copy)
    assert "no input holds" not in copy.why

    checked = validate(list(stories), tmp_path / "tags").explanations
    for made in ('&format!("{}={}"', '&("\'".to_string()'):
        fixes = story(checked, SRC, made, "E0515").fixes
        assert fixes and fixes[0].validated == "compiles", [(f.name, f.validated) for f in fixes]
