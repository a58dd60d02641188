"""Pair mode's Why line for signature mistakes rustc states only as a rule (#14), real cargo.

E0106 on a function's output: rustc says the signature does not say which input the result borrows
from and puts one lifetime on every input; Rusta's line says why elision cannot pick (two borrowed
inputs, or none) and which inputs the returned values really come from, traced in the body. Each
snippet the line shows is judged by the honesty check's judge (the program's text or rustc's)."""

from __future__ import annotations

from pathlib import Path

from modes.rendering import render_text
from tests.explain import honesty
from tests.explain.crates import explain_lib, story

ROUTES = """\
pub struct Table {
    pub rows: Vec<(String, String)>,
}

pub fn route_for(table: &Table, path: &str, fallback: &String) -> &str {
    for (p, target) in &table.rows {
        if p == path {
            return target.as_str();
        }
    }
    fallback.as_str()
}
"""

UNITS = """\
pub fn shorter(left: &[u32], right: &[u32], limit: &usize) -> &[u32] {
    if left.len() <= *limit && left.len() < right.len() {
        &left[..]
    } else {
        right.get(..*limit).unwrap_or(right)
    }
}
"""


def _pair(e) -> list[str]:
    text = render_text(e, "pair", with_rustc=True, pending=True)
    return [ln for ln in text.splitlines() if ln.startswith("Rusta: Why:")]


def _honest(e, crate: Path) -> None:
    program, quotes = honesty.program_tokens(crate), honesty.rustc_quotes(e.diagnostics)
    # the line's own snippets; rustc's patches are judged once validated, by test_honesty
    said = [honesty.Snippet(code=q, where="text") for q in honesty._TICK.findall(e.summary)]
    assert said
    bad = [s.code for s in said if not honesty.judge(e, s, program, quotes)]
    assert not bad, bad


def test_a_borrowed_output_names_the_inputs_the_returned_values_come_from(tmp_path: Path) -> None:
    stories = explain_lib(tmp_path, "routes", ROUTES)
    e = story(stories, ROUTES, "pub fn route_for", "E0106")
    assert e.summary == (
        "`route_for` returns `&str` (src/lib.rs:5) and takes 3 borrowed inputs, `table`, `path` and "
        "`fallback`; elision ties an output only to a lone borrowed input (or to `&self`), so it cannot "
        "pick one. The returned values come from `table` (line 6) and `fallback` (line 11) only: the output "
        "needs the lifetime of `table` and `fallback` alone, and `path` can keep its own."
    ), e.summary
    assert _pair(e) == [f"Rusta: Why: {e.summary}"]
    _honest(e, tmp_path / "routes")


def test_a_fallback_chain_traces_both_sources_and_leaves_the_limit_out(tmp_path: Path) -> None:
    stories = explain_lib(tmp_path, "units", UNITS)
    e = story(stories, UNITS, "pub fn shorter", "E0106")
    assert e.summary.endswith(
        "The returned values come from `left` (line 3) and `right` (line 5) only: the output needs the "
        "lifetime of `left` and `right` alone, and `limit` can keep its own."
    ), e.summary
    assert _pair(e) == [f"Rusta: Why: {e.summary}"]
    _honest(e, tmp_path / "units")
