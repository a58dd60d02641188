"""A reused buffer moved in a loop (#14): a `String`/`Vec`/`HashMap` local handed over inside a loop
(sent on a channel, pushed into a collection) and used again in the next round or after the loop
gets `std::mem::replace(&mut buf, <its with_capacity initializer>)` when the `let` shows the intended
capacity, else `std::mem::take`, each labelled with what it leaves behind, ranked before a clone and
passing the crate's own test; a `clear()` right after the move goes. Real cargo on library crates
written here."""

from __future__ import annotations

import pytest

from engine.explain.validation import validate
from tests.explain.crates import crate_tests_with, explain_lib
from tests.explain.test_ownership_transfer import _shown

pytestmark = pytest.mark.slow


def _e0382(tmp_path, name, src):
    stories = explain_lib(tmp_path, name, src)
    checked = validate([s for s in stories if s.code == "E0382"], tmp_path / name).explanations
    return checked[0]


LINES = """use std::sync::mpsc;

/// Splits `text` into lines sent over a channel, then collects them on the other side.
pub fn lines(text: &str) -> Vec<String> {
    let (tx, rx) = mpsc::channel();
    let mut line = String::with_capacity(32);
    for ch in text.chars() {
        if ch == '\\n' {
            tx.send(line).unwrap();
        } else {
            line.push(ch);
        }
    }
    if !line.is_empty() {
        tx.send(line).unwrap();
    }
    drop(tx);
    rx.iter().collect()
}

#[cfg(test)]
mod tests {
    #[test]
    fn splits() {
        assert_eq!(super::lines("ab\\ncd\\ne"), vec!["ab", "cd", "e"]);
    }
}
"""


def test_a_buffer_sent_in_a_loop_is_replaced_with_its_declared_capacity(tmp_path):
    e = _e0382(tmp_path, "lines", LINES)
    first = e.fixes[0]
    want = "tx.send(std::mem::replace(&mut line, String::with_capacity(32))).unwrap();"
    assert [ln.strip() for ln in first.shows] == [want], _shown(e)
    assert first.validated == "compiles" and not first.tests_failed, _shown(e)
    # the cost says what it leaves behind and that it allocates, not that it is free
    assert "String::with_capacity(32)" in first.cost and "allocation" in first.cost, first.cost
    take = [f for f in e.fixes if "std::mem::take(&mut line)" in "\n".join(f.shows)]
    assert take and "empty" in take[0].cost and "capacity" in take[0].cost, _shown(e)
    clones = [i for i, f in enumerate(e.fixes) if ".clone()" in "\n".join(f.shows)]
    assert all(i > 0 for i in clones), _shown(e)
    assert crate_tests_with(tmp_path, "lines", first) == "ok"


GROUPS = """use std::collections::HashMap;

/// Counts words per paragraph; an empty word starts a new paragraph.
pub fn paragraphs(words: &[&str]) -> Vec<HashMap<String, u32>> {
    let mut out = Vec::new();
    let mut counts = HashMap::new();
    for w in words {
        if w.is_empty() {
            out.push(counts);
            counts.clear();
            continue;
        }
        *counts.entry(w.to_string()).or_insert(0) += 1;
    }
    if counts.len() > 0 {
        out.push(counts);
    }
    out
}

#[cfg(test)]
mod tests {
    #[test]
    fn groups() {
        let p = super::paragraphs(&["a", "b", "a", "", "c"]);
        assert_eq!(p.len(), 2);
        assert_eq!(p[0]["a"], 2);
        assert_eq!(p[1]["c"], 1);
        assert!(!p[1].contains_key("a"));
    }
}
"""


def test_a_map_pushed_then_cleared_in_a_loop_is_taken_and_the_clear_goes(tmp_path):
    e = _e0382(tmp_path, "groups", GROUPS)
    first = e.fixes[0]
    assert [ln.strip() for ln in first.shows] == ["out.push(std::mem::take(&mut counts));"], _shown(e)
    # no with_capacity at the `let`: nothing to replace it with
    assert not any("mem::replace" in "\n".join(f.shows) for f in e.fixes), _shown(e)
    assert "-            counts.clear();" in first.patch, first.patch
    assert crate_tests_with(tmp_path, "groups", first) == "ok"
