"""Fallible items collected into a container of the values (E0277 "a value of type `Vec<f64>`
cannot be built from an iterator over elements of type `Result<f64, ParseFloatError>`"): in a fn
that returns a `Result` (an `Option`), Rusta's fix collects into `Result<C, _>` (`Option<C>`) and
returns the first failure with `?`, ranked first; an edit that only moves the error to where the
values are read is never labelled a fix (#14, review F f10).

Real cargo on a crate written here: a `let` annotation in a fn returning `Result<_, Box<dyn Error>>`
(the error converts through `?`), a turbofish in a fn returning `Option`, and a fn returning a
plain `Vec`, where no `?` applies and rewriting the annotation moves the error.
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

READINGS = """use std::error::Error;

pub fn readings(text: &str) -> Result<f64, Box<dyn Error>> {
    let values: Vec<f64> = text.lines().map(|l| l.trim().parse::<f64>()).collect();
    Ok(values.iter().sum::<f64>() / values.len() as f64)
}

pub fn digits(word: &str) -> Option<u32> {
    let ds = word.chars().map(|c| c.to_digit(10)).collect::<Vec<u32>>();
    Some(ds.iter().sum())
}

pub fn lengths(words: &[&str]) -> usize {
    let ns: Vec<usize> = words.iter().map(|w| w.parse::<usize>()).collect();
    ns.len()
}

#[cfg(test)]
mod tests {
    #[test]
    fn mean_and_digits() {
        assert_eq!(super::readings("1.5\\n2.5\\n").unwrap(), 2.0);
        assert!(super::readings("1.5\\nx\\n").is_err());
        assert_eq!(super::digits("123"), Some(6));
        assert_eq!(super::digits("1a"), None);
    }
}
"""


def _applied(root: Path, edits) -> None:  # noqa: ANN001 - the fix's edits
    for rel, es in by_file(edits).items():
        p = root / rel
        p.write_bytes(apply_edits(p.read_bytes(), es))


def test_fallible_items_collect_into_the_fns_own_wrapper(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setenv("RUSTA_CACHE_DIR", str(tmp_path / "cache"))
    stories = explain_lib(tmp_path, "readings", READINGS)
    run = validate(stories, tmp_path / "readings")
    by_line = {e.primary.line: (i, e) for i, e in enumerate(run.explanations)}
    program = honesty.program_tokens(tmp_path / "readings")
    edits = []
    for text, wrote in (
        ("let values", "collect::<Result<Vec<f64>, _>>()?"),
        ("let ds", "collect::<Option<Vec<u32>>>()?"),
    ):
        i, e = by_line[line_of(READINGS, text)]
        assert e.fixes, [(o.name, o.validated, o.fails_because) for o in run.failed[i]]
        first = e.fixes[0]
        assert first.validated == "compiles" and wrote in " ".join(first.shows), (first.name, first.shows)
        pair = " ".join(ln.text for ln in pair_verdict_lines(e, run.failed[i]))
        assert pair.startswith("Fix ✓") and wrote in pair, pair
        quotes = honesty.rustc_quotes(e.diagnostics)
        lies = [s.code for s in honesty.shown(e, render_text) if not honesty.judge(e, s, program, quotes)]
        assert not lies, lies
        edits += first.edits
        # the annotation rewritten to the items' type moves the error to where the values are read:
        # it fails, never a fix
        moved = [o for o in (*e.fixes, *run.failed[i]) if f"Vec<{wrote.split('<')[1]}<" in " ".join(o.shows)]
        assert moved and all(o.validated == "fails" for o in moved), [(o.shows, o.validated) for o in moved]
    # the plain `Vec` fn: no `?` applies there; what is shown compiled
    i, e = by_line[line_of(READINGS, "let ns")]
    assert not any("?" in " ".join(f.shows) for f in e.fixes), [f.shows for f in e.fixes]
    assert all(f.validated == "compiles" for f in e.fixes), [(f.shows, f.validated) for f in e.fixes]
    # both fixes together: the crate builds but for `lengths`, and the two fns' tests pass
    _applied(tmp_path / "readings", edits)
    src = (tmp_path / "readings" / "src" / "lib.rs").read_text()
    fixed = src.replace(
        "let ns: Vec<usize> = words.iter().map(|w| w.parse::<usize>()).collect();", "let ns = words;"
    )
    (tmp_path / "readings" / "src" / "lib.rs").write_text(fixed)
    assert cargo_test(tmp_path / "readings").returncode == 0
