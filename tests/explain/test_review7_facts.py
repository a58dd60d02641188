"""Claims decided by a fact, not by the error code. Real cargo on small crates (type errors in one,
resolution errors in another).

- a trait missing on a generic type parameter is a bound on its declaration, never a derive or impl;
- an iterator method whose bounds fail on a closure with a wrong signature is one story, rooted at the
  closure, with no derive for a closure type; rustc's long-type scratch path never shows;
- "rustc's help lists a similar one" only when rustc's help names one;
- a name rustc offers to import is an import first, not a misspelling or a missing declaration;
- a cost line whose last clause the honesty filter drops still ends as a sentence.
"""

from __future__ import annotations

import pytest

from tests.explain.crates import explain_lib, line_of, write_lib
from toolbelt.cargo_run import run_check

pytestmark = pytest.mark.slow

TYPES = """use std::collections::HashSet;

pub struct Tally<K> {
    pub seen: Vec<K>,
}

impl<K> Tally<K> {
    pub fn labels(&self) -> Vec<String> {
        self.seen.iter().map(|k| k.to_string()).collect()
    }
}

pub fn known<'a>(words: &'a [String], dict: &HashSet<String>) -> Vec<&'a String> {
    words
        .iter()
        .filter(|w: &String| dict.contains(w.as_str()))
        .collect()
}

pub fn port(args: &[String]) -> Result<u16, String> {
    let raw = args.get(1)?;
    raw.parse::<u16>().map_err(|e| e.to_string())
}
"""

NAMES = """pub mod ledger {
    pub struct Book {
        pub rows: HashMap<String, u32>,
    }
}

pub struct Shelf {
    pub count: u32,
}

pub fn restock(shelf: &mut Shelf) -> u32 {
    shelf.count += 1;
    crate_total + 1
}

pub fn tally(items: &[u32]) -> usize {
    let total_len = items.len();
    totl_len + 1
}
"""


@pytest.fixture(scope="module")
def crates(tmp_path_factory: pytest.TempPathFactory) -> dict[str, tuple]:
    tmp = tmp_path_factory.mktemp("r7")
    return {name: explain_lib(tmp, f"r7_{name}", src) for name, src in (("types", TYPES), ("names", NAMES))}


def _with(stories, src: str, text: str, code: str):
    """The story that explains the `code` diagnostic on the line holding `text`."""
    line = line_of(src, text)
    return next(
        e
        for e in stories
        for d in e.diagnostics
        if d.code_str == code and d.primary is not None and d.primary.line_start == line
    )


def _names(e) -> list[str]:
    return [o.name for o in e.options]


def _text(e) -> str:
    return " ".join([e.summary, e.why, *(f"{o.name} {o.how} {o.tradeoff}" for o in e.options)])


def test_a_trait_missing_on_a_type_parameter_is_a_bound_not_a_derive(crates) -> None:
    e = _with(crates["types"], TYPES, "k.to_string()", "E0599")
    assert "satisfy the bound" not in _names(e) and "a derive or an impl when" not in _text(e)
    assert _names(e)[0] == "bound the type parameter" and "where" in e.options[0].how


def test_a_closure_signature_error_and_the_iterator_method_it_breaks_are_one_story(crates) -> None:
    stories = [e for e in crates["types"] if e.code in ("E0631", "E0599")]
    closure_line = line_of(TYPES, ".filter(|w: &String|")
    (e,) = [e for e in stories if e.primary.line in (closure_line, closure_line + 1)]
    assert e.code == "E0631" and e.root_cause.line == closure_line
    assert e.root_cause.column == TYPES.splitlines()[closure_line - 1].index("|w") + 1
    assert any("E0599" in f for f in e.facts) and "derive" not in _text(e)


def test_rustcs_long_type_scratch_path_never_reaches_a_diagnostic(tmp_path) -> None:
    # clippy's driver writes a long closure type to a file under the target dir and says where
    report = run_check(write_lib(tmp_path, "r7_long", TYPES), tool="clippy", target_dir=tmp_path / "target")
    said = [
        t for d in report.diagnostics for t in (d.message, d.rendered or "", *(c.message for c in d.children))
    ]
    assert any("{closure@" in t for t in said)
    assert not any("long-type" in t or "has been written to" in t or str(tmp_path) in t for t in said)


def test_a_cost_line_whose_last_clause_goes_still_ends_as_a_sentence(crates) -> None:
    e = _with(crates["types"], TYPES, "args.get(1)?", "E0277")
    assert e.options and all(not o.tradeoff.rstrip().endswith((";", ",")) for o in e.options)


def test_rustcs_similar_name_is_claimed_only_when_its_help_names_one(crates) -> None:
    none = _with(crates["names"], NAMES, "crate_total + 1", "E0425")
    assert "lists a similar" not in _text(none) and "fix the spelling" not in _names(none)
    some = _with(crates["names"], NAMES, "totl_len + 1", "E0425")
    assert "fix the spelling" in _names(some)


def test_a_name_rustc_offers_to_import_is_an_import_first(crates) -> None:
    e = _with(crates["names"], NAMES, "rows: HashMap", "E0425")
    assert _names(e)[0] == "import it" and "fix the spelling" not in _names(e)
    assert "declare it" not in _names(e) and "not imported" in e.summary
