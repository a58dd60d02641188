"""Rusta credits rustc only with what rustc said, and prices a copy by how often its code runs (#14,
review E 3, 4, 5).

The general mistakes: a sentence of the form "rustc says/suggests X" where X came from a probe or a
template ("follow rustc's help and call `expect`" when rustc's help offered `?`), and a cost said of
"every iteration" for code in a `match` arm inside the loop, which runs only when the arm is taken.
Real cargo on crates written here.
"""

from __future__ import annotations

import pytest

from engine.explain import evidence
from engine.explain.validation import validate
from engine.syntax.run_count import how_often
from tests.explain.crates import explain_lib, line_of, story, story_text

# two Options used as their inner `&String`: in a fn returning Option rustc's help offers `?`,
# in a fn returning usize it offers `Option::expect`
WRAPPED = """pub fn first_word(lines: &[String]) -> Option<usize> {
    lines.first().split_whitespace().next().map(|w| w.len())
}

pub fn last_trimmed(names: &[String]) -> usize {
    names.last().trim().len()
}
"""

# a word count: the key is a `&str`, and the copy rustc suggests is in the `None =>` arm, which runs
# once per new word
TALLY = """use std::collections::HashMap;

pub fn tally(text: &str) -> HashMap<String, u32> {
    let mut counts: HashMap<String, u32> = HashMap::new();
    for word in text.split_whitespace() {
        match counts.get_mut(word) {
            Some(n) => *n += 1,
            None => {
                counts.insert(word, 1);
            }
        }
    }
    counts
}

#[cfg(test)]
mod tests {
    #[test]
    fn counts_words() {
        let t = super::tally("a b a");
        assert_eq!(t["a"], 2);
        assert_eq!(t.len(), 2);
    }
}
"""

HELPS = "rustc's help offers (`Option::expect`)"


@pytest.mark.slow
def test_rustc_is_credited_only_with_the_help_it_gave(tmp_path) -> None:
    stories = explain_lib(tmp_path, "wrapped", WRAPPED)
    propagated = story(stories, WRAPPED, "lines.first()", "E0599")
    expected = story(stories, WRAPPED, "names.last()", "E0599")
    assert "use the `?` operator" in " ".join(c.message for c in propagated.diagnostics[0].children)
    # the panicking way out stays an option, in Rusta's words, without rustc's name on it
    said = story_text(propagated)
    assert "`std::option::Option::expect`" in said, said
    assert HELPS not in said and "Follow rustc's help" not in said, said
    # where rustc's help does offer `Option::expect`, saying so is true
    assert HELPS in story_text(expected), story_text(expected)


def test_a_sentence_naming_rustc_keeps_only_types_rustc_quoted() -> None:
    ev = evidence.Evidence(program=" let total = words . len ( ) ; ", rustc=frozenset({"/* Type */", "? "}))
    assert not evidence.truthful("rustc says the sum is over `usize`.", ev)
    assert evidence.truthful("The sum is over `usize` (the type-of probe).", ev)
    quoted = evidence.Evidence(program=ev.program, rustc=frozenset({"usize", "Option :: expect"}))
    assert evidence.truthful("rustc says the sum is over `usize`.", quoted)
    assert evidence.truthful("Follow rustc's help and call `std::option::Option::expect`.", quoted)
    assert not evidence.truthful("Follow rustc's help and call `std::option::Option::unwrap`.", quoted)
    kept = evidence.honest("Call `std::option::Option::expect`. rustc's help offers `usize`.", ev)
    assert kept == "Call `std::option::Option::expect`.", kept


@pytest.mark.slow
def test_a_copy_in_a_match_arm_is_priced_per_run_of_the_arm(tmp_path) -> None:
    (e,) = validate(list(explain_lib(tmp_path, "tally", TALLY)), tmp_path / "tally").explanations
    fix = next(o for o in e.fixes if "counts.insert(word.to_string(), 1);" in " ".join(o.shows))
    assert fix.validated == "compiles", fix
    arm, loop = line_of(TALLY, "match counts"), line_of(TALLY, "for word in")
    want = f"each time the `None` arm of the `match` at line {arm} runs, up to once per iteration of the `for` loop at line {loop}"
    assert want in fix.cost, fix.cost
    assert "on every iteration" not in fix.cost


def test_an_arm_of_a_match_in_a_while_loop_runs_when_taken() -> None:
    src = b"""fn drain(q: &mut Vec<Option<u8>>) -> Vec<String> {
    let mut out = Vec::new();
    while let Some(item) = q.pop() {
        match item {
            Some(b) if b > 9 => out.push(b.to_string()),
            _ => {}
        }
        out.push(String::new());
    }
    out
}
"""
    at = src.index(b"b.to_string()")
    assert how_often(src, at, at + 13) == (
        "each time the `Some(b) if b > 9` arm of the `match` at line 4 runs, "
        "up to once per iteration of the `while` loop at line 3"
    )
    at = src.index(b"String::new()")  # after the match, on every path of the body
    assert how_often(src, at, at + 13) == "on every iteration of the `while` loop at line 3"
