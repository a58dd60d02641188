"""A copy made in a closure that std runs on one path only is priced on that path (#14, review A
a01, a20), and a copy the replaced code already made is no new cost.

The general mistake: "allocates and copies the text into a new `String` each time the `if` holds"
said of `entry(k).or_insert_with(|| w.to_string())` (the closure runs only for a vacant entry, and
the `if !contains_key` it replaces made the same copy) or of `.map_err(|e| E::Bad(e.to_string()))`
(the closure runs only for an `Err`). Real cargo and clippy on crates written here; the run count
is read in the patched file by the syntax layer.
"""

from __future__ import annotations

import json

import pytest

from engine.explain.validation import validate
from engine.syntax.run_count import how_often
from tests.cli_runner import rusta
from tests.explain.crates import explain_lib, write_lib

pytestmark = pytest.mark.slow

# clippy::map_entry: the `if !contains_key { insert(.., w.to_string()) }` already copied only for a new key
SPELLING = """use std::collections::HashMap;

pub fn first_spelling(words: &[&str]) -> HashMap<String, String> {
    let mut seen = HashMap::new();
    for w in words {
        let key = w.to_lowercase();
        if !seen.contains_key(&key) {
            seen.insert(key, w.to_string());
        }
    }
    seen
}
"""

# `?` cannot turn a ParseIntError into LoadError: the converted message is made only for an `Err`
PORT = """#[derive(Debug)]
pub enum LoadError {
    Bad(String),
}

pub fn port(s: &str) -> Result<u16, LoadError> {
    let p: u16 = s.trim().parse()?;
    Ok(p)
}

#[cfg(test)]
mod tests {
    #[test]
    fn parses() {
        assert_eq!(super::port(" 80 ").unwrap(), 80);
        assert!(super::port("x").is_err());
    }
}
"""


def _fixes(tmp_path, name: str, src: str):
    stories = validate(list(explain_lib(tmp_path, name, src)), tmp_path / name).explanations
    return [f for e in stories for f in e.fixes if f.validated == "compiles"]


def test_an_entry_rewrite_keeps_the_copy_the_code_made_for_a_new_key(tmp_path) -> None:
    root = write_lib(tmp_path, "spelling", SPELLING)
    r = rusta("explain", str(root), "--json")
    stories = [json.loads(ln) for ln in r.stdout.splitlines() if ln.startswith("{") and '"options"' in ln]
    story = next(s for s in stories if s["code"] == "clippy::map_entry")
    fix = next(o for o in story["options"] if "or_insert_with" in " ".join(o.get("shows", [])))
    cost = fix["tradeoff"]
    assert cost.startswith("no new allocation: the replaced code already ran `w.to_string()`"), cost
    assert "only when the key is new" in cost and "each time the `if`" not in cost, cost


def test_a_map_err_conversion_copies_only_on_the_error_path(tmp_path) -> None:
    fixes = _fixes(tmp_path, "port", PORT)
    fix = next((f for f in fixes if any("map_err(" in ln and "to_string()" in ln for ln in f.shows)), None)
    assert fix is not None, [(f.name, f.shows) for f in fixes]
    assert "only on the error path" in fix.cost, fix.cost


def test_each_lazy_method_names_its_path() -> None:
    src = b"""fn f(o: Option<&str>, r: Result<u8, std::num::ParseIntError>, xs: &[&str]) {
    for x in xs {
        let _a = o.ok_or_else(|| x.to_string());
    }
    let _b = r.unwrap_or_else(|e| e.to_string().len() as u8);
    let _c = o.map(|s| s.to_string());
}
"""
    at = src.index(b"x.to_string")
    assert how_often(src, at, at + 1) == (
        "only on the `None` path (`ok_or_else` runs its closure only for `None`), "
        "up to once per iteration of the `for` loop at line 2"
    )
    at = src.index(b"e.to_string")
    assert how_often(src, at, at + 1).startswith("only on the `None` or `Err` path")
    at = src.index(b"s.to_string")
    assert how_often(src, at, at + 1) == "each time `map` calls the closure at line 6"  # not lazy: every item
