"""A `collect()` of borrowed owners into a collection of their borrowed views (`&PathBuf` items into
`Vec<&Path>`, `&Vec<u8>` into `Vec<&[u8]>`): one element adapter before `collect` fixes it with no
allocation and no signature change, and ranks above rewriting the declared type. Real cargo on two
crates written here."""

from __future__ import annotations

from pathlib import Path

import pytest

from engine.edits import apply_edits
from engine.repair.collect_target import borrowed_view_items, own_collected_items
from engine.repair.targets import errors_of
from tests.explain.crates import write_lib
from toolbelt.cargo_run import run_check

ABSOLUTE = """use std::path::{Path, PathBuf};

pub fn absolute(entries: &[PathBuf]) -> Vec<&Path> {
    entries
        .iter()
        .filter(|p| p.is_absolute())
        .collect()
}
"""

FRAMES = """pub fn non_empty(frames: &[Vec<u8>]) -> usize {
    let kept: Vec<&[u8]> = frames.iter().filter(|f| !f.is_empty()).collect();
    kept.len()
}
"""

# `&&str` items (a slice of `&str` walked by reference) into `Vec<&str>`: the reference is `Copy`
WORDS = """pub fn long_words<'a>(words: &[&'a str]) -> Vec<&'a str> {
    words.iter().filter(|w| w.len() > 3).collect()
}
"""


@pytest.mark.parametrize(
    ("name", "src", "adapter"),
    [
        ("absolute", ABSOLUTE, ".map(PathBuf::as_path)"),
        ("frames", FRAMES, ".map(Vec::as_slice)"),
        ("words", WORDS, ".copied()"),
    ],
)
def test_an_element_adapter_borrows_each_owner_as_its_view_and_compiles(
    tmp_path: Path, name: str, src: str, adapter: str
) -> None:
    root = write_lib(tmp_path, name, src)
    errors = errors_of(run_check(root, target_dir=tmp_path / "target"))
    d = next(e for e in errors if "cannot be built from an iterator" in e.message)

    def read(rel: str) -> bytes | None:
        return src.encode()

    views = borrowed_view_items(d, read)
    assert views and adapter in views[0].description
    assert "no allocation" in views[0].description
    declared = own_collected_items(d, read)
    assert all(v.score > c.score for v in views for c in declared)
    for v in views:  # the named method, the closure and the plain deref all build here
        new = apply_edits(src.encode(), list(v.edits)).decode()
        (root / "src" / "lib.rs").write_text(new)
        assert not errors_of(run_check(root, target_dir=tmp_path / "target")), (v.description, new)
    first = apply_edits(src.encode(), list(views[0].edits)).decode()
    if "\n        .collect()" in src:  # a chain one call a line keeps that layout
        assert f"\n        {adapter}\n        .collect()" in first, first


def test_an_owned_item_or_an_equal_view_gets_no_view_adapter(tmp_path: Path) -> None:
    src = "pub fn names(v: &[&str]) -> Vec<String> {\n    v.iter().collect()\n}\n"
    root = write_lib(tmp_path, "owned", src)
    d = next(e for e in errors_of(run_check(root, target_dir=tmp_path / "target")) if e.code_str == "E0277")
    assert borrowed_view_items(d, lambda _: src.encode()) == []
