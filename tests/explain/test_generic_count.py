"""E0107 on a std item used with a parameter missing: the story says the missing type is read off
the code that uses the value and that `_` cannot stand in for it in a signature, and keeps every
sentence of its options (none names code the program lacks). Real cargo on a crate written here."""

from __future__ import annotations

import pytest

from tests.explain.crates import explain_lib

pytestmark = pytest.mark.slow

TALLY = """pub fn tally(words: &[&str]) -> std::collections::HashMap<String> {
    let mut seen = std::collections::HashMap::new();
    for w in words {
        *seen.entry(w.to_string()).or_insert(0u32) += 1;
    }
    seen
}
"""


def test_a_missing_generic_argument_is_read_off_the_uses(tmp_path) -> None:
    (e,) = [e for e in explain_lib(tmp_path, "tally", TALLY) if e.code == "E0107"]
    assert "read off that code" in e.why and "rustc does not fill in a missing one" in e.why
    opts = {o.name: o for o in e.options}
    assert list(opts) == ["fix the use", "change the definition"]
    assert "rustc refuses `_` in an item's signature" in opts["fix the use"].tradeoff
    assert "cannot change" in opts["change the definition"].tradeoff
