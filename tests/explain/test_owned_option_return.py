"""E0515 where the function returns `Option<&T>` and the reference is into a local: the owned return is
`Option<String>` (the owned counterpart of the borrowed type), each returned value converted: an
`Option` with `.map(str::to_string)`, a `Some(x)` by converting `x`, `None` left as it is. Checked in
the sandbox; real cargo on crates written here."""

from __future__ import annotations

from pathlib import Path

from engine.explain.validation import validate
from tests.explain.crates import cargo_test, explain_lib

# the tail is an `Option<&str>` into a `String` the method made
FIRST = """pub struct Note {
    pub body: String,
}

impl Note {
    pub fn first_word(&self) -> Option<&str> {
        let lower = self.body.to_lowercase();
        lower.split_whitespace().next()
    }
}
"""

# `return None` and a `Some(..)` tail
TITLE = """pub fn title(raw: &str) -> Option<&str> {
    let clean = raw.trim().replace('_', " ");
    if clean.is_empty() {
        return None;
    }
    Some(clean.split(' ').next().unwrap_or(""))
}

#[cfg(test)]
mod tests {
    #[test]
    fn title() {
        assert_eq!(super::title("big_cat").as_deref(), Some("big"));
        assert_eq!(super::title("  "), None);
    }
}
"""


def _owned_fix(tmp_path: Path, name: str, src: str) -> tuple[str, str]:
    e = next(e for e in explain_lib(tmp_path, name, src) if e.code == "E0515")
    (checked,) = validate([e], tmp_path / name).explanations
    fix = next(f for f in checked.fixes if "Option<String>" in " ".join(f.shows))
    return " ".join(fix.shows), fix.validated


def test_a_returned_option_into_a_local_is_mapped_to_an_owned_one(tmp_path: Path) -> None:
    shows, validated = _owned_fix(tmp_path, "first", FIRST)
    assert "-> Option<String>" in shows and "lower.split_whitespace().next().map(str::to_string)" in shows
    assert validated == "compiles"


def test_some_converts_its_value_and_none_stays(tmp_path: Path) -> None:
    shows, validated = _owned_fix(tmp_path, "title", TITLE)
    assert "Some(clean.split(' ').next().unwrap_or(\"\").to_string())" in shows
    assert "None.map" not in shows and validated == "compiles"
    root = tmp_path / "title"
    lib = root / "src" / "lib.rs"
    lib.write_text(
        lib.read_text()
        .replace("-> Option<&str>", "-> Option<String>")
        .replace('unwrap_or(""))', 'unwrap_or("").to_string())')
    )
    assert cargo_test(root).returncode == 0


# a crate type behind the reference: the owned return is the type itself, a clone
SCORES = """#[derive(Clone, Debug, PartialEq)]
pub struct Entry {
    pub name: String,
    pub score: u32,
}

pub struct Board {
    pub raw: String,
}

impl Board {
    fn entries(&self) -> Vec<Entry> {
        self.raw
            .lines()
            .filter_map(|l| l.split_once(' '))
            .map(|(n, s)| Entry { name: n.to_string(), score: s.parse().unwrap_or(0) })
            .collect()
    }

    pub fn first(&self) -> &Entry {
        let all = self.entries();
        &all[0]
    }

    pub fn best(&self) -> Option<&Entry> {
        let all = self.entries();
        all.iter().max_by_key(|e| e.score)
    }
}
"""


def test_a_crate_type_is_returned_as_a_clone(tmp_path: Path) -> None:
    stories = [e for e in explain_lib(tmp_path, "scores", SCORES) if e.code == "E0515"]
    checked = validate(stories, tmp_path / "scores").explanations
    shows = [(" ".join(f.shows), f.validated) for e in checked for f in e.fixes]
    assert any("-> Entry" in s and "all[0].clone()" in s and v in GREEN for s, v in shows), shows
    assert any(
        "-> Option<Entry>" in s and ".max_by_key(|e| e.score).cloned()" in s and v in GREEN for s, v in shows
    )


GREEN = ("compiles", "type-checks")  # type-checks: the other fn's error is still there
