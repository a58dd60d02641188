"""Deleting the empty line after a doc comment is said to keep the docs where rustdoc already puts
them, and ranks below clippy's `//!` variant at the top of a file (#14, review A a06).

The general mistake: "remove the empty line" shown first as a neutral clean-up, while a `///` block
at the top of lib.rs, parted by an empty line from the first item's own docs, is in that item's docs
either way, and the layout says it was meant for the crate. Real cargo and clippy on a crate written
here; the second crate's block sits between two items, where no `//!` variant exists.
"""

from __future__ import annotations

import json

import pytest

from tests.cli_runner import rusta
from tests.explain.crates import write_lib

pytestmark = pytest.mark.slow

TOP = """/// Unit conversions for a kitchen scale.

/// Grams in `oz` ounces, rounded down.
pub fn grams(oz: u32) -> u32 {
    oz * 28
}
"""

MIDDLE = """pub fn one() -> u32 {
    1
}

/// The number two.

/// Always returns 2.
pub fn two() -> u32 {
    2
}
"""


def _story(root) -> dict:
    r = rusta("explain", str(root), "--json")
    stories = [json.loads(ln) for ln in r.stdout.splitlines() if ln.startswith("{") and '"options"' in ln]
    return next(s for s in stories if s["code"] == "clippy::empty_line_after_doc_comments")


def test_the_inner_doc_variant_leads_and_the_delete_says_what_it_keeps(tmp_path) -> None:
    story = _story(write_lib(tmp_path, "scale", TOP))
    fixes = [o for o in story["options"] if o.get("patch")]
    assert any("//! Unit conversions" in ln for ln in fixes[0]["shows"]), [o["shows"] for o in fixes]
    delete = next(o for o in fixes if "rustdoc unchanged" in o["tradeoff"])
    assert delete["tradeoff"].startswith(
        "rustdoc unchanged: `/// Unit conversions for a kitchen scale.` (line 1) stays in `grams`'s docs"
    ), delete["tradeoff"]
    assert "the `//!` variant makes it the crate's docs" in delete["tradeoff"]


def test_between_items_the_delete_names_the_item_and_no_inner_variant(tmp_path) -> None:
    story = _story(write_lib(tmp_path, "two", MIDDLE))
    delete = next(o for o in story["options"] if "rustdoc unchanged" in o.get("tradeoff", ""))
    assert "(line 5) stays in `two`'s docs" in delete["tradeoff"], delete["tradeoff"]
    assert "//!" not in delete["tradeoff"], delete["tradeoff"]


def test_the_fix_line_names_the_deleted_empty_line(tmp_path) -> None:
    """Pair's fix line for a delete of an empty line said "delete " and nothing after it."""
    from modes.rendering import fix_changes

    story = _story(write_lib(tmp_path, "two", MIDDLE))
    delete = next(o for o in story["options"] if "rustdoc unchanged" in o.get("tradeoff", ""))
    assert fix_changes(delete["patch"]) == "delete 1 empty line", delete["patch"]
