"""E0515 on a borrow of a needless copy (`&name.trim().to_owned()`): the first fix deletes the copy
and keeps the signature (#14), validated, ranked above changing the return type to an owned one.
Real cargo on a crate written here."""

from __future__ import annotations

from pathlib import Path

import pytest

from engine.explain.validation import validate
from tests.explain.crates import explain_lib

pytestmark = pytest.mark.slow

HEAD = """pub fn head(line: &str) -> &str {
    let cut: &str = &line.trim_start().to_owned();
    cut.split(',').next().unwrap_or("")
}
"""


def test_the_needless_copy_is_dropped_and_the_signature_kept(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setenv("RUSTA_CACHE_DIR", str(tmp_path / "cache"))
    stories = explain_lib(tmp_path, "head", HEAD)
    run = validate(stories, tmp_path / "head")
    fixes = [o for e in run.explanations if e.code == "E0515" for o in e.fixes]
    green = [o for o in fixes if o.validated == "compiles" and not o.errors_new]
    assert green, [(o.name, o.validated, o.shows) for o in fixes]
    first = green[0]
    assert "to_owned" not in " ".join(first.shows), first.shows
    assert not any("-> String" in ln for ln in first.shows), first.shows
    assert any("&line.trim_start();" in ln for ln in first.shows), first.shows
