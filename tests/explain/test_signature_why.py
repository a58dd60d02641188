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

KEPT = """\
pub fn first_kept(words: &[String], banned: &str) -> &str {
    words.iter().skip_while(|w| banned.contains(w.as_str())).next().map(|w| w.as_str()).unwrap_or("")
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


LEDGER = """\
pub struct Entry<K, V> {
    pub key: K,
    pub amount: V,
}

pub struct Tag {
    pub label: &'static str,
}

pub fn total(entries: &[Entry<String>]) -> usize {
    entries.len()
}

pub fn tag_label<'t>(t: &'t Tag<'t>) -> &'t str {
    t.label
}
"""

CURSOR = """\
pub struct Cursor {
    pub rest: &str,
}

pub fn advance<'s>(c: Cursor<'s>, n: usize) -> &'s str {
    &c.rest[n..]
}

pub fn widen<T: Into<u64>>(x: T) -> u64 {
    x.into()
}

pub fn wide_byte() -> u64 {
    widen::<u8, u16>(7)
}
"""


def test_too_few_generic_arguments_say_what_each_declared_parameter_types(tmp_path: Path) -> None:
    stories = explain_lib(tmp_path, "ledger", LEDGER)
    e = story(stories, LEDGER, "pub fn total", "E0107")
    assert e.summary == (
        "`Entry` (src/lib.rs:1) declares `Entry<K, V>`; src/lib.rs:10 writes `Entry<String>`: `K` is the type "
        "of `key` (line 2); `V` is the type of `amount` (line 3), and a use gives each of them, in that order."
    ), e.summary
    assert _pair(e) == [f"Rusta: Why: {e.summary}"]
    _honest(e, tmp_path / "ledger")
    static = story(stories, LEDGER, "pub fn tag_label", "E0107")
    assert static.summary == (
        "`Tag` (src/lib.rs:6) declares no lifetime, yet src/lib.rs:14 writes `Tag<'t>`; its borrows are "
        "`'static` (`label: &'static str`, line 7), so the lifetime written here names nothing it holds."
    ), static.summary
    _honest(static, tmp_path / "ledger")


def test_a_lifetime_given_to_a_struct_whose_field_lacks_one_says_so(tmp_path: Path) -> None:
    stories = explain_lib(tmp_path, "cursor", CURSOR)
    e = story(stories, CURSOR, "pub fn advance", "E0107")
    assert e.summary == (
        "`Cursor` (src/lib.rs:1) declares no lifetime, yet src/lib.rs:5 writes `Cursor<'s>`; its field "
        "`rest: &str` (line 2) is a borrow with no named lifetime, so the lifetime written here is one "
        "`Cursor` lacks in its declaration too."
    ), e.summary
    _honest(e, tmp_path / "cursor")
    extra = story(stories, CURSOR, "widen::<u8, u16>", "E0107")
    assert extra.summary == (
        "`widen` (src/lib.rs:9) declares `widen<T: Into<u64>>`; src/lib.rs:14 writes `widen::<u8, u16>`: "
        "`T` is the type of `x` (line 9), and a use gives each of them, in that order."
    ), extra.summary
    assert _pair(extra) == [f"Rusta: Why: {extra.summary}"]
    _honest(extra, tmp_path / "cursor")
    kept = story(explain_lib(tmp_path, "kept", KEPT), KEPT, "pub fn first_kept", "E0106")
    assert kept.summary.endswith(  # a predicate's closure (`skip_while`) yields a bool, not the value
        "The returned values come from `words` (line 2) only: the output needs the lifetime of `words` "
        "alone, and `banned` can keep its own."
    ), kept.summary
