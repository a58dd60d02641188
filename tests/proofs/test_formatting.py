"""rustfmt of the changed items only, in the crate's own style (real rustfmt, no cargo)."""

from __future__ import annotations

from pathlib import Path

from engine.patching.diffs import apply_changes, parse_diff
from engine.patching.types import Patch
from engine.proofs.formatting import format_patch
from tests.proofs.crates import diff_of, make_crate

LIB = """\
pub fn odd(  a:u8 )->u8{a}

pub fn add(x: i32) -> i32 {
  x + 1
}

impl   Clone   for   Z { fn clone(&self)->Z{Z} }
pub struct Z;
"""


def _after(root: Path, patch: Patch) -> str:
    new = apply_changes(parse_diff(patch.diff), lambda p: (root / p).read_bytes())
    return new["src/lib.rs"].decode()


def test_a_badly_indented_new_line_is_formatted_and_untouched_items_keep_their_style(tmp_path: Path) -> None:
    root = make_crate(tmp_path / "c", LIB)
    bad = LIB.replace("  x + 1\n", "  let y =x*2;\n          y+ 1\n")
    patch, proof = format_patch(root, Patch.new(diff_of(root, bad), "double before adding"))
    after = _after(root, patch)
    assert "pub fn add(x: i32) -> i32 {\n    let y = x * 2;\n    y + 1\n}\n" in after
    assert "pub fn odd(  a:u8 )->u8{a}\n" in after  # untouched: its odd formatting stays
    assert "impl   Clone   for   Z { fn clone(&self)->Z{Z} }" in after
    assert proof.status == "passed" and proof.count == 1
    changed = [ln for ln in patch.diff.splitlines() if ln[:1] in "+-" and ln[:3] not in ("+++", "---")]
    assert changed and not any("odd" in ln or "Clone" in ln for ln in changed)


def test_the_crates_rustfmt_toml_decides_the_style(tmp_path: Path) -> None:
    root = make_crate(tmp_path / "c", LIB, extra={"rustfmt.toml": "tab_spaces = 2\n"})
    bad = LIB.replace("  x + 1\n", "        x +  2\n")
    patch, _ = format_patch(root, Patch.new(diff_of(root, bad), "add two"))
    assert "pub fn add(x: i32) -> i32 {\n  x + 2\n}\n" in _after(root, patch)


def test_without_rustfmt_the_patch_is_left_unchanged_and_says_why(tmp_path: Path, monkeypatch) -> None:
    root = make_crate(tmp_path / "c", LIB)
    original = Patch.new(diff_of(root, LIB.replace("x + 1", "x  +  3")), "add three")
    monkeypatch.setenv("PATH", str(tmp_path / "empty"))  # a real absence: no rustfmt on PATH
    patch, proof = format_patch(root, original)
    assert patch == original
    assert proof.status == "skipped" and "rustfmt is not on PATH" in proof.detail
