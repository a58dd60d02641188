"""E0382 where the move is a by-value method (`fn m(self, ..) -> Self`) called as a statement: the
result, the changed value, is thrown away. The story says so, its only way out is keeping the result,
and its first fix is `x = x.m(..);` with `let mut x`, checked. rustc leaves out its "takes ownership
of the receiver" note when an argument borrows a temporary, so the shape is read from the syntax tree
and the method's signature. A call whose result is used is a real move: no rebind there. Real cargo
on crates written here."""

from __future__ import annotations

from pathlib import Path

from engine.explain.validation import validate
from tests.explain.crates import cargo_test, explain_lib, option_names, story, story_text

# a `with_*` setter under a condition; its argument borrows a temporary (no rustc note)
SETTER = """#[derive(Debug, Default)]
pub struct Label {
    pub text: String,
    pub color: Option<String>,
}

impl Label {
    pub fn with_color(mut self, c: &str) -> Label {
        self.color = Some(c.to_string());
        self
    }
}

pub fn label(text: &str, color: Option<&str>) -> Label {
    let l = Label { text: text.to_string(), color: None };
    if let Some(c) = color {
        l.with_color(&c.to_lowercase());
    }
    l
}

#[cfg(test)]
mod tests {
    #[test]
    fn colored() {
        assert_eq!(super::label("a", Some("RED")).color.as_deref(), Some("red"));
    }
}
"""

# the result is bound: `p` really moved, and keeping the result would not make the later use work
USED = """pub struct Path2 {
    pub parts: Vec<String>,
}

impl Path2 {
    pub fn join(mut self, p: &str) -> Self {
        self.parts.push(p.to_string());
        self
    }
}

pub fn both(p: Path2) -> (usize, usize) {
    let q = p.join("x");
    (q.parts.len(), p.parts.len())
}
"""


def test_a_discarded_self_result_is_kept_first_and_nothing_false_is_offered(tmp_path: Path) -> None:
    e = next(e for e in explain_lib(tmp_path, "label", SETTER) if e.code == "E0382")
    words = story_text(e)
    assert "`with_color` takes `self` by value and returns a `Label`" in e.why
    assert option_names(e) == ["keep what the method returns"]
    assert "borrow instead of moving" not in words and "restructure the order" not in words
    (checked,) = validate([e], tmp_path / "label").explanations
    first = checked.fixes[0]
    shows = " ".join(first.shows)
    assert "l = l.with_color(&c.to_lowercase());" in shows and "let mut l = Label" in shows
    assert first.validated == "compiles"
    assert not any(".clone()" in " ".join(f.shows) for f in checked.fixes)  # a clone drops the colour
    root = tmp_path / "label"
    src = (root / "src" / "lib.rs").read_text()
    (root / "src" / "lib.rs").write_text(
        src.replace("let l = Label", "let mut l = Label").replace(
            "        l.with_color(", "        l = l.with_color("
        )
    )
    assert cargo_test(root).returncode == 0


# a std method whose result is another type (`Vec<u8>`), thrown away: no sentence says it returns `s`
STD = """pub fn size(text: &str) -> usize {
    let s = text.to_string();
    s.into_bytes();
    s.len()
}
"""


def test_a_std_method_of_another_result_type_is_not_said_to_return_the_receiver(tmp_path: Path) -> None:
    e = next(e for e in explain_lib(tmp_path, "std", STD) if e.code == "E0382")
    assert "keep what the method returns" not in option_names(e)
    assert "returns a `String`" not in story_text(e)
    (checked,) = validate([e], tmp_path / "std").explanations
    assert not any("s = s.into_bytes()" in " ".join(f.shows) for f in checked.fixes)


def test_a_used_result_is_a_real_move_and_gets_no_rebind(tmp_path: Path) -> None:
    e = story(explain_lib(tmp_path, "used", USED), USED, "p.parts.len()", "E0382")
    assert "keep what the method returns" not in option_names(e)
    assert "throws away" not in e.summary
    (checked,) = validate([e], tmp_path / "used").explanations
    assert not any("p = p.join" in " ".join(f.shows) for f in checked.fixes)
