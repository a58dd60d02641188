"""E0106 with several reference inputs: the lifetime named only on the inputs the result borrows from.

rustc ties every input; the narrower signature leaves the others elided. Real cargo on crates written
here: where both compile the narrower one leads and rustc's says it over-constrains callers; where a
caller passes a temporary for the unborrowed input, only the narrower one compiles.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from engine.explain.validation import validate
from engine.syntax.borrow_sources import borrowed_params
from tests.explain.crates import explain_lib

pytestmark = [pytest.mark.slow]


@pytest.fixture(autouse=True)
def _own_cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("RUSTA_CACHE_DIR", str(tmp_path / "cache"))


def _at(src: bytes, head: bytes) -> tuple[str, ...] | None:
    return borrowed_params(src, src.index(head))


def test_the_inputs_a_result_borrows_from_are_read_from_its_receiver_chains() -> None:
    src = b"""fn first<'x>(names: &[String], sep: &str, n: usize) -> &str {
    let joined = names.get(n).map(|s| s.split(sep).next().unwrap_or(""));
    joined.unwrap_or("")
}
fn either(a: &str, b: &str, pick_a: bool) -> &str {
    match pick_a {
        true => a.trim(),
        false => b,
    }
}
fn through(a: &str, b: &str) -> &str {
    helper(a, b)
}
fn early(rows: &[u8], needle: &u8) -> Option<&u8> {
    if rows.is_empty() {
        return None;
    }
    rows.iter().find(|r| *r == needle)
}
"""
    assert _at(src, b"fn first") == ("names",)  # `sep` only splits, `n` only indexes
    assert _at(src, b"fn either") == ("a", "b")  # a tail `match` with an arm per input
    assert _at(src, b"fn through") == ("a", "b")  # another fn: every argument may come back
    assert _at(src, b"fn early") == ("rows",)  # `needle` is only compared


# a router whose lookup borrows from the two tables, never from the path it is asked for
ROUTES = """use std::collections::BTreeMap;

pub struct Table {
    routes: BTreeMap<String, String>,
}

impl Table {
    pub fn new(pairs: &[(&str, &str)]) -> Table {
        Table { routes: pairs.iter().map(|(a, b)| (a.to_string(), b.to_string())).collect() }
    }
}

pub fn handler(local: &Table, global: &Table, path: &str) -> &str {
    match local.routes.get(path) {
        Some(h) => h,
        None => global.routes.get(path).map(String::as_str).unwrap_or("404"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn falls_through() {
        let l = Table::new(&[("/a", "A")]);
        let g = Table::new(&[("/a", "G"), ("/b", "B")]);
        assert_eq!(handler(&l, &g, "/a"), "A");
        assert_eq!(handler(&l, &g, "/b"), "B");
        assert_eq!(handler(&l, &g, "/c"), "404");
    }
}
"""


def test_where_both_compile_the_narrower_lifetime_leads_and_rustcs_says_it_over_constrains(
    tmp_path: Path,
) -> None:
    stories = explain_lib(tmp_path, "routes", ROUTES)
    fixes = validate(stories, tmp_path / "routes").explanations[0].fixes
    shows = [" ".join(f.shows) for f in fixes]
    narrow = "handler<'a>(local: &'a Table, global: &'a Table, path: &str) -> &'a str"
    wide = "handler<'a>(local: &'a Table, global: &'a Table, path: &'a str) -> &'a str"
    assert any(narrow in s for s in shows) and any(wide in s for s in shows), shows
    i_narrow = next(i for i, s in enumerate(shows) if narrow in s)
    i_wide = next(i for i, s in enumerate(shows) if wide in s)
    assert fixes[i_narrow].validated == fixes[i_wide].validated == "compiles"
    assert i_narrow < i_wide, shows
    assert "over-constrains callers" in fixes[i_wide].cost, fixes[i_wide].cost
    assert "over-constrains" not in fixes[i_narrow].cost
    assert "`path` stays elided" in fixes[i_narrow].name, fixes[i_narrow].name


# a caller that builds the unborrowed input as a temporary: rustc's all-tied signature cannot serve it
UNITS = """pub fn unit_of<'a>(line: &'a str, default: &'a str) -> &'a str {
    let key = line.to_lowercase();
    suffix(line, &key).unwrap_or(default)
}

pub fn suffix(text: &str, probe: &str) -> Option<&str> {
    text.rsplit(' ').next().filter(|w| probe.contains(&w.to_lowercase()))
}
"""


def test_where_a_caller_passes_a_temporary_only_the_narrower_lifetime_compiles(tmp_path: Path) -> None:
    stories = explain_lib(tmp_path, "units", UNITS)
    e0106 = [e for e in stories if e.code == "E0106"]
    assert e0106, [e.code for e in stories]
    fixes = validate(e0106, tmp_path / "units").explanations[0].fixes
    shows = [" ".join(f.shows) for f in fixes]
    narrow = "suffix<'a>(text: &'a str, probe: &str) -> Option<&'a str>"
    assert shows and narrow in shows[0], shows
    assert fixes[0].validated == "compiles" and "stays elided" in fixes[0].name
    assert fixes[0].errors_left + fixes[0].errors_new == 0
    for f in fixes[1:]:  # rustc's: `key` dies in `unit_of` while the result still borrows it
        if "probe: &'a str" in " ".join(f.shows):
            assert f.validated != "compiles" or f.errors_new + f.errors_left > 0, f
