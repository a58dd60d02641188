"""E0499/E0515 whose borrows are calls of one method returning a reference elided to `&mut self`/`&self`
while the result is read from a `&'a` field (#14): the root cause is the signature, the fix names the
data's lifetime in the return type (validated: compiles and the crate's tests pass), and no call-order
advice is given. Real cargo on crates written here, two different programs with the same mistake."""

from __future__ import annotations

from pathlib import Path

import pytest

from engine.explain.validation import validate
from tests.explain.crates import explain_lib, line_of, option_names, story_text
from tests.explain.programs import SHELF

pytestmark = pytest.mark.slow

# a byte cursor: two `take` results alive at once (E0499)
CURSOR = """pub struct Cursor<'s> {
    data: &'s [u8],
    at: usize,
}

impl<'s> Cursor<'s> {
    pub fn new(data: &'s [u8]) -> Self {
        Cursor { data, at: 0 }
    }

    pub fn take(&mut self, n: usize) -> &[u8] {
        let end = (self.at + n).min(self.data.len());
        let out = &self.data[self.at..end];
        self.at = end;
        out
    }
}

pub fn header(bytes: &[u8]) -> (usize, u8) {
    let mut c = Cursor::new(bytes);
    let magic = c.take(2);
    let len = c.take(1);
    (magic.len(), len[0])
}

#[cfg(test)]
mod tests {
    #[test]
    fn reads() {
        assert_eq!(super::header(&[1, 2, 7, 9]), (2, 7));
    }
}
"""

# a word splitter over `&'t str`, shared receiver, a local splitter's result returned (E0515)
WORDS = """pub struct Words<'t> {
    text: &'t str,
}

impl<'t> Words<'t> {
    pub fn first(&self) -> Option<&str> {
        self.text.split_whitespace().next()
    }
}

pub fn first_word(text: &str) -> Option<&str> {
    let w = Words { text };
    w.first()
}

#[cfg(test)]
mod tests {
    #[test]
    fn first() {
        assert_eq!(super::first_word("  hello world"), Some("hello"));
    }
}
"""


def _green(run, code: str) -> list:
    fixes = [o for e in run.explanations if e.code == code for o in e.fixes]
    return [o for o in fixes if o.validated == "compiles" and not o.errors_new and not o.tests_failed]


def test_two_calls_of_an_elided_method_blame_its_signature(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setenv("RUSTA_CACHE_DIR", str(tmp_path / "cache"))
    stories = explain_lib(tmp_path, "cursor", CURSOR)
    e = next(e for e in stories if e.code == "E0499")
    assert e.root_cause.line == line_of(CURSOR, "pub fn take(&mut self"), e.root_cause
    said = " ".join(story_text(e).split())
    assert "`take` keeps `c` mutably borrowed" in said or "call of `take` keeps `c`" in said, said
    assert "Changing the order of the calls does not help" in said, said
    assert "do the second borrow's work first" not in option_names(e), option_names(e)
    assert option_names(e)[0] == "name the output lifetime", option_names(e)
    run = validate(stories, tmp_path / "cursor")
    green = _green(run, "E0499")
    assert green, [
        (o.name, o.validated, o.errors_new, o.tests_failed) for e in run.explanations for o in e.fixes
    ]
    assert any("-> &'s [u8]" in ln for ln in green[0].shows), green[0].shows


def test_a_returned_result_of_an_elided_method_names_the_fields_lifetime(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setenv("RUSTA_CACHE_DIR", str(tmp_path / "cache"))
    stories = explain_lib(tmp_path, "words", WORDS)
    e = next(e for e in stories if e.code == "E0515")
    assert e.root_cause.line == line_of(WORDS, "pub fn first(&self)"), e.root_cause
    assert "let the caller own it" not in option_names(e), option_names(e)
    said = " ".join(story_text(e).split())
    assert "read from `self.text`, which lives for `'t`" in said, said
    run = validate(stories, tmp_path / "words")
    green = _green(run, "E0515")
    assert green and any("Option<&'t str>" in ln for ln in green[0].shows), green


def test_a_method_returning_what_the_receiver_owns_is_not_blamed(tmp_path: Path) -> None:
    """No `&'a` field: the result really borrows the receiver, so the signature is not the cause."""
    src = CURSOR.replace("data: &'s [u8],", "data: Vec<u8>,\n    _p: std::marker::PhantomData<&'s ()>,")
    src = src.replace(
        "Cursor { data, at: 0 }", "Cursor { data: data.to_vec(), at: 0, _p: std::marker::PhantomData }"
    )
    e = next(e for e in explain_lib(tmp_path, "owned", src) if e.code == "E0499")
    assert e.root_cause.line != line_of(src, "pub fn take(&mut self"), e.root_cause
    assert "name the output lifetime" not in option_names(e), option_names(e)


# a scanner: a `peek` result kept alive across a `&mut self` call of another method (E0502)
SCANNER = """pub struct Scanner<'src> {
    text: &'src str,
    at: usize,
}

impl<'src> Scanner<'src> {
    pub fn new(text: &'src str) -> Self {
        Scanner { text, at: 0 }
    }

    pub fn peek(&self) -> &str {
        &self.text[self.at..(self.at + 1).min(self.text.len())]
    }

    pub fn bump(&mut self) {
        self.at = (self.at + 1).min(self.text.len());
    }
}

pub fn first_two(text: &str) -> String {
    let mut s = Scanner::new(text);
    let a = s.peek();
    s.bump();
    let b = s.peek();
    format!("{a}{b}")
}

#[cfg(test)]
mod tests {
    #[test]
    fn two() {
        assert_eq!(super::first_two("xyz"), "xy");
    }
}
"""


def test_a_kept_result_of_an_elided_method_blames_its_signature_for_e0502(
    tmp_path: Path, monkeypatch
) -> None:
    monkeypatch.setenv("RUSTA_CACHE_DIR", str(tmp_path / "cache"))
    stories = explain_lib(tmp_path, "scanner", SCANNER)
    e = next(e for e in stories if e.code == "E0502")
    assert e.root_cause.line == line_of(SCANNER, "pub fn peek(&self)"), e.root_cause
    assert option_names(e)[0] == "name the output lifetime", option_names(e)
    run = validate(stories, tmp_path / "scanner")
    green = _green(run, "E0502")
    assert green and any("-> &'src str" in ln for ln in green[0].shows), green


def test_a_method_returning_its_own_buffer_is_not_taken_for_the_fields_data() -> None:
    """The body reads the `&'a` field but returns a borrow of an owned field: elision is right."""
    from engine.syntax.signature_lifetimes import elided_self_output

    src = b"""pub struct Joiner<'a> {
    parts: &'a [&'a str],
    buf: String,
}

impl<'a> Joiner<'a> {
    pub fn joined(&mut self) -> &str {
        self.buf = self.parts.join(",");
        &self.buf
    }

    pub fn first(&self) -> Option<&str> {
        let p = self.parts;
        p.first().copied()
    }
}
"""
    assert elided_self_output([("src/lib.rs", src)], "joined") is None
    found = elided_self_output([("src/lib.rs", src)], "first")
    assert found is not None and found[1].field == "parts" and found[1].lifetime == "'a", found


# a line reader drained in a `while let` loop: one call, borrowed again "in the previous iteration of
# the loop" (E0499 marks a single span)
LINES = """pub struct Lines<'b> {
    buf: &'b str,
    at: usize,
}

impl<'b> Lines<'b> {
    pub fn next_line(&mut self) -> Option<&str> {
        if self.at >= self.buf.len() {
            return None;
        }
        let rest = &self.buf[self.at..];
        let end = rest.find('\\n').unwrap_or(rest.len());
        self.at += end + 1;
        Some(&rest[..end])
    }
}

pub fn all_lines(buf: &str) -> Vec<&str> {
    let mut r = Lines { buf, at: 0 };
    let mut out = Vec::new();
    while let Some(line) = r.next_line() {
        out.push(line);
    }
    out
}

#[cfg(test)]
mod tests {
    #[test]
    fn splits() {
        assert_eq!(super::all_lines("a\\nbc"), vec!["a", "bc"]);
    }
}
"""


def test_an_elided_method_called_in_a_loop_blames_its_signature(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setenv("RUSTA_CACHE_DIR", str(tmp_path / "cache"))
    stories = explain_lib(tmp_path, "lines", LINES)
    e = next(e for e in stories if e.code == "E0499")
    assert e.root_cause.line == line_of(LINES, "pub fn next_line(&mut self"), e.root_cause
    assert "do the second borrow's work first" not in option_names(e), option_names(e)
    run = validate(stories, tmp_path / "lines")
    green = _green(run, "E0499")
    assert green and any("Option<&'b str>" in ln for ln in green[0].shows), green


# SHELF: a closure handed to `find_map` returns a method's result, borrowed (by elision) from a local
# (E0373); test_thread_escape runs the same program for its thread-free ways out


def test_a_returned_closure_calling_an_elided_method_blames_its_signature(
    tmp_path: Path, monkeypatch
) -> None:
    monkeypatch.setenv("RUSTA_CACHE_DIR", str(tmp_path / "cache"))
    stories = explain_lib(tmp_path, "shelf", SHELF)
    e = next(e for e in stories if e.code == "E0373")
    assert e.root_cause.line == line_of(SHELF, "pub fn name(&self"), e.root_cause
    assert option_names(e)[0] == "name the output lifetime", option_names(e)
    assert "move the captures" not in option_names(e) and "thread::scope" not in story_text(e)
    run = validate(stories, tmp_path / "shelf")
    green = _green(run, "E0373")
    assert green and any("Option<&'d str>" in ln for ln in green[0].shows), green
