"""`?` inside an adapter's closure (E0277 "the `?` operator can only be used in a closure that
returns `Result` or `Option`"): the subject is the closure, never the enclosing fn's signature, so
Rusta says so, offers no API change, and, when the fn already returns a `Result` (an `Option`), the
validated fix has the closure yield `Ok(..)` (`Some(..)`) and the chain collect into `Result<Vec<_>,
_>` (`Option<Vec<_>>`) with `?` (#14, review L l20).

Real cargo on a crate written here: a block closure in a fn returning `Result` (a `let` annotation
names the container), an expression closure in a fn returning `Option` (a turbofish names it), and a
fn returning a plain `usize`, where no `?` after the collect applies.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from engine.edits import apply_edits, by_file
from engine.explain.validation import validate
from modes.rendering import render_text
from modes.verdicts import pair_verdict_lines
from tests.explain import honesty
from tests.explain.crates import cargo_test, explain_lib, line_of

pytestmark = pytest.mark.slow

SCORES = """use std::num::ParseIntError;

pub fn scores(text: &str) -> Result<u64, ParseIntError> {
    let pairs: Vec<(String, u64)> = text
        .lines()
        .map(|line| {
            let (name, n) = line.split_once('=').unwrap_or((line, "0"));
            (name.to_string(), n.trim().parse::<u64>()?)
        })
        .collect();
    Ok(pairs.iter().map(|(_, n)| n).sum())
}

pub fn doubled(word: &str) -> Option<u32> {
    let ds = word.chars().map(|c| c.to_digit(10)? * 2).collect::<Vec<u32>>();
    Some(ds.iter().sum())
}

pub fn widths(words: &[&str]) -> usize {
    let ws: Vec<usize> = words.iter().map(|w| w.parse::<usize>()?).collect();
    ws.len()
}

#[cfg(test)]
mod tests {
    #[test]
    fn sums() {
        assert_eq!(super::scores("a=1\\nb= 2").unwrap(), 3);
        assert!(super::scores("a=x").is_err());
        assert_eq!(super::doubled("12"), Some(6));
        assert_eq!(super::doubled("1a"), None);
    }
}
"""


def test_question_mark_in_a_closure_speaks_of_the_closure(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setenv("RUSTA_CACHE_DIR", str(tmp_path / "cache"))
    stories = explain_lib(tmp_path, "scores", SCORES)
    run = validate(stories, tmp_path / "scores")
    by_line = {e.primary.line: (i, e) for i, e in enumerate(run.explanations)}
    program = honesty.program_tokens(tmp_path / "scores")
    edits = []
    for text, wrote in (
        ("(name.to_string(), n.trim()", "collect::<Result<Vec<_>, _>>()?"),
        ("let ds", "collect::<Option<Vec<u32>>>()?"),
    ):
        i, e = by_line[line_of(SCORES, text)]
        said = render_text(e, "pair") + render_text(e, "study")
        assert "closure" in e.summary and "returns neither" not in said, e.summary
        assert "API change" not in said and "Change the function" not in said, said
        assert e.fixes, [(o.name, o.validated, o.fails_because) for o in run.failed[i]]
        first = e.fixes[0]
        assert first.validated in ("compiles", "type-checks") and wrote in " ".join(first.shows), first.shows
        pair = " ".join(ln.text for ln in pair_verdict_lines(e, run.failed[i]))
        assert wrote in pair, pair
        quotes = honesty.rustc_quotes(e.diagnostics)
        lies = [s.code for s in honesty.shown(e, render_text) if not honesty.judge(e, s, program, quotes)]
        assert not lies, lies
        edits += first.edits
    # the plain `usize` fn: the closure is still the subject, and no `?` after the collect is offered
    i, e = by_line[line_of(SCORES, "let ws")]
    assert "closure" in e.summary and "API change" not in render_text(e, "study"), e.summary
    assert not any(")?" in " ".join(f.shows) for f in e.fixes), [f.shows for f in e.fixes]
    # both fixes together, with the plain fn handled by hand: the crate's tests pass
    for rel, es in by_file(edits).items():
        p = tmp_path / "scores" / rel
        p.write_bytes(apply_edits(p.read_bytes(), es))
    lib = tmp_path / "scores" / "src" / "lib.rs"
    lib.write_text(lib.read_text().replace("w.parse::<usize>()?", "w.len()"))
    assert cargo_test(tmp_path / "scores").returncode == 0


SIZES = """use std::num::ParseIntError;

pub fn sizes(specs: &[&str]) -> Result<Vec<u32>, ParseIntError> {
    let out: Vec<u32> = specs
        .iter()
        .map(|s| {
            let t = s.trim();
            match t.strip_suffix('k') {
                Some(n) => n.parse::<u32>()? * 1024,
                None => t.parse::<u32>()?,
            }
        })
        .collect();
    Ok(out)
}

#[cfg(test)]
mod tests {
    #[test]
    fn kilo() {
        assert_eq!(super::sizes(&["2k", " 3"]).unwrap(), vec![2048, 3]);
        assert!(super::sizes(&["x"]).is_err());
    }
}
"""


def test_a_closure_ending_in_match_yields_ok_from_every_arm(tmp_path: Path, monkeypatch) -> None:
    """The closure's value is its tail `match` (a statement to the grammar): each arm's value is
    wrapped, so the fix compiles and the crate's tests pass with it."""
    monkeypatch.setenv("RUSTA_CACHE_DIR", str(tmp_path / "cache"))
    stories = explain_lib(tmp_path, "sizes", SIZES)
    run = validate(stories, tmp_path / "sizes")
    at = line_of(SIZES, "Some(n) =>")
    i, e = next((i, e) for i, e in enumerate(run.explanations) if e.primary.line == at)
    assert e.fixes, [(o.name, o.validated, o.fails_because) for o in run.failed[i]]
    first = e.fixes[0]
    shown = " ".join(first.shows)
    assert first.validated in ("compiles", "type-checks"), first.validated
    assert "Ok(n.parse::<u32>()? * 1024)" in shown and "Ok(t.parse::<u32>()?)" in shown, first.shows
    for rel, es in by_file(first.edits).items():
        p = tmp_path / "sizes" / rel
        p.write_bytes(apply_edits(p.read_bytes(), es))
    assert cargo_test(tmp_path / "sizes").returncode == 0
