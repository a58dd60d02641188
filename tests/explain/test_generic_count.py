"""E0107 on a std item used with a parameter missing: the story says the missing type is read off
the code that uses the value and that `_` cannot stand in for it in a signature, and keeps every
sentence of its options (none names code the program lacks). E0284 on a parse that no use pins to
one type: a why and the two places to write the type. Real cargo on crates written here."""

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


FIRST_NUMBER = """pub fn has_number(cells: &[&str]) -> bool {
    let first = cells.iter().find_map(|s| s.parse().ok());
    first.is_some()
}
"""


def test_a_parse_whose_type_no_use_fixes_gets_a_why_and_both_places_to_write_it(tmp_path) -> None:
    """E0284 (`<_ as FromStr>::Err == _`): the story says why rustc will not pick the type and where
    one written type settles it, instead of the bare invariant."""
    (e,) = [e for e in explain_lib(tmp_path, "first_number", FIRST_NUMBER) if e.code == "E0284"]
    assert "generic in what they return" in e.why and "does not try each candidate type" in e.why
    assert [o.name for o in e.options] == ["name the type at the call", "annotate the binding"]
    assert e.summary.startswith(f"At {e.primary.file}:{e.primary.line} rustc cannot tell which type")
