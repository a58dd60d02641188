"""Two mistakes of text handling, each answered with code the sandbox checked (real cargo on crates
written here):

- a `str` indexed by a number to compare one character (E0277 "the type `str` cannot be indexed by
  `{integer}`"): `starts_with` for index 0, `chars().nth(i)` (its linear cost said) or the ASCII
  byte through `as_bytes()` for any index;
- a temporary borrowed past its statement (E0716): `let <name> = <temporary>;` before it."""

from __future__ import annotations

from pathlib import Path

from engine.explain.validation import validate
from tests.explain.crates import cargo_test, explain_lib

FLAGS = """pub fn is_flag(arg: &str) -> bool {
    arg[0] == '-'
}

pub fn unsigned(arg: &str) -> bool {
    arg[1] != '+'
}

#[cfg(test)]
mod tests {
    #[test]
    fn flags() {
        assert!(super::is_flag("-v") && !super::is_flag("v"));
        assert!(super::unsigned("x1") && !super::unsigned("-+1"));
    }
}
"""

GREEN = ("compiles", "type-checks")  # type-checks: the crate's other error is still there

WORDS = """pub fn wide_rows(text: &str) -> usize {
    let mut n = 0;
    for row in text.lines() {
        let cells: Vec<&str> = row.to_ascii_uppercase().split(' ').collect();
        if cells.len() > 1 {
            n += 1;
        }
    }
    n
}

#[cfg(test)]
mod tests {
    #[test]
    fn rows() {
        assert_eq!(super::wide_rows("a b\nc\nd e f"), 2);
    }
}
"""


def _fixes(tmp_path: Path, name: str, src: str, code: str) -> dict[int, list[tuple[str, str]]]:
    """line of rustc's span -> (what each fix shows, its validation) for the stories of `code`."""
    stories = [e for e in explain_lib(tmp_path, name, src) if e.code == code]
    checked = validate(stories, tmp_path / name).explanations
    return {e.primary.line: [(" ".join(f.shows), f.validated) for f in e.fixes] for e in checked}


def test_a_str_indexed_to_compare_one_char_reads_it_another_way(tmp_path: Path) -> None:
    (fixes,) = _fixes(tmp_path, "flags", FLAGS, "E0277").values()  # one story: one cause, two places
    assert "arg.starts_with('-')" in fixes[0][0] and fixes[0][1] in GREEN
    shown = [s for s, v in fixes if v in GREEN]
    assert any("arg.as_bytes()[0] == b'-'" in s for s in shown)
    assert not any("starts_with('+')" in s for s, _ in fixes)  # index 1 is not the start
    assert any("arg.chars().nth(1) != Some('+')" in s for s in shown)
    assert any("arg.as_bytes()[1] != b'+'" in s for s in shown)
    root = tmp_path / "flags"
    lib = root / "src" / "lib.rs"
    lib.write_text(
        lib.read_text()
        .replace("arg[0] == '-'", "arg.starts_with('-')")
        .replace("arg[1] != '+'", "arg.chars().nth(1) != Some('+')")
    )
    assert cargo_test(root).returncode == 0


def test_the_cost_of_walking_the_characters_is_said(tmp_path: Path) -> None:
    (e,) = [e for e in explain_lib(tmp_path, "cost", FLAGS) if e.code == "E0277"]
    (checked,) = validate([e], tmp_path / "cost").explanations
    nth = next(f for f in checked.fixes if "chars().nth(1)" in " ".join(f.shows))
    assert "linear in the position" in nth.name


def test_a_temporary_borrowed_past_its_statement_gets_a_name(tmp_path: Path) -> None:
    fixes = _fixes(tmp_path, "words", WORDS, "E0716")  # rustc only notes "consider using a `let`"
    (shows, validated) = fixes[4][0]
    assert "let ascii_uppercase = row.to_ascii_uppercase();" in shows
    assert "ascii_uppercase.split(' ').collect()" in shows and validated == "compiles"
    root = tmp_path / "words"
    lib = root / "src" / "lib.rs"
    lib.write_text(
        lib.read_text().replace(
            "        let cells: Vec<&str> = row.to_ascii_uppercase()",
            "        let upper = row.to_ascii_uppercase();\n        let cells: Vec<&str> = upper",
        )
    )
    assert cargo_test(root).returncode == 0
