"""A fix chained from rustc's "introduce a named lifetime parameter" whose later step returns an
owned value leaves no `<'a>` that names nothing, and is titled by what its patch does (#14). The
general mistake: a result that borrows a local, where no lifetime can help; the first step's
`<'a>` was only a way to reach the owned return. Real cargo on a crate written here."""

from __future__ import annotations

from pathlib import Path

import pytest

from engine.explain.lifetimes_left import without_unused_lifetimes
from engine.explain.validation import validate
from tests.explain.crates import explain_lib

pytestmark = pytest.mark.slow

LABEL = """pub fn label(prefix: &str, name: &str) -> &str {
    let joined = format!("{prefix}-{name}");
    joined.as_str()
}
"""


def test_an_owned_return_keeps_no_lifetime_and_says_what_it_does(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setenv("RUSTA_CACHE_DIR", str(tmp_path / "cache"))
    stories = explain_lib(tmp_path, "label", LABEL)
    assert any(e.code == "E0106" for e in stories)
    run = validate(stories, tmp_path / "label")
    fixes = [o for e in run.explanations if e.code == "E0106" for o in e.fixes]
    owned = [o for o in fixes if o.validated == "compiles" and any("-> String" in ln for ln in o.shows)]
    assert owned, [(o.name, o.validated, o.shows) for o in fixes]
    for o in owned:
        assert not any("'a" in ln for ln in o.shows), o.shows
        assert "lifetime" not in o.name.lower(), o.name


def test_a_lifetime_the_output_still_uses_stays() -> None:
    before = b"fn pick(a: &str, b: &str) -> &str {\n    a\n}\n"
    kept = b"fn pick<'a>(a: &'a str, b: &str) -> &'a str {\n    a\n}\n"
    assert without_unused_lifetimes(before, kept) == kept
    owned = b"fn pick<'a>(a: &'a str, b: &'a str) -> String {\n    a.to_string()\n}\n"
    assert (
        without_unused_lifetimes(before, owned)
        == b"fn pick(a: &str, b: &str) -> String {\n    a.to_string()\n}\n"
    )


def test_a_result_that_borrows_a_local_is_told_no_lifetime_can_fix_it(tmp_path: Path) -> None:
    e = next(e for e in explain_lib(tmp_path / "why", "label", LABEL) if e.code == "E0106")
    said = " ".join(e.why.split())
    assert "The result borrows `joined`, a local; no lifetime annotation can fix this" in said, said
    assert "elision cannot guess" not in e.why, e.why
    assert not any(o.name == "name the lifetime" for o in e.options), e.options


def test_a_result_that_borrows_an_input_keeps_the_lifetime_story(tmp_path: Path) -> None:
    src = "pub fn longer(a: &str, b: &str) -> &str {\n    if a.len() > b.len() { a } else { b }\n}\n"
    e = next(e for e in explain_lib(tmp_path / "input", "longer", src) if e.code == "E0106")
    assert "a local" not in e.why and "elision cannot guess" in " ".join(e.why.split()), e.why
