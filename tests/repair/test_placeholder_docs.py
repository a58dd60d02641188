"""A missing argument of a std fn, filled with a value its own docs allow: std's source pages from
rust-docs give the parameter's name and the `# Panics` section (`toolbelt.std_source`). Real cargo on
crates written here; the parsing itself on a page fragment shaped like rust-docs' own."""

from __future__ import annotations

from pathlib import Path

from engine.edits import apply_edits
from engine.repair.placeholder_fill import TYPE_FAMILY, filled_placeholders, safe_value
from tests.explain.crates import write_lib
from toolbelt.cargo_run import run_check
from toolbelt.std_source import item_at, source_lines, std_callee

PAGE = (
    "<pre class=rust><code>"
    "<a href=#7 id=7 data-nosnippet>7</a>    /// Splits the input.\n"
    "<a href=#8 id=8 data-nosnippet>8</a>    ///\n"
    "<a href=#9 id=9 data-nosnippet>9</a>    /// # Panics\n"
    "<a href=#10 id=10 data-nosnippet>10</a>    ///\n"
    "<a href=#11 id=11 data-nosnippet>11</a>    /// Panics if `chunk_size` is zero. Other text.\n"
    "<a href=#12 id=12 data-nosnippet>12</a>    #[inline]\n"
    "<a href=#13 id=13 data-nosnippet>13</a>    <span class=kw>pub fn</span> chunks(&amp;self,\n"
    "<a href=#14 id=14 data-nosnippet>14</a>        chunk_size: usize) -&gt; Chunks&lt;'_, T&gt; {\n"
    "</code></pre>"
)

DIGITS = """pub fn digits(s: &str) -> u32 {
    s.chars().filter_map(|c| c.to_digit()).sum()
}
"""


def test_a_rendered_source_page_gives_the_signature_and_the_panics_sentence() -> None:
    item = item_at(source_lines(PAGE), 13)
    assert item is not None
    assert (item.name, item.params) == ("chunks", ("chunk_size",))
    assert item.panics == "Panics if `chunk_size` is zero."
    assert safe_value("usize", "chunk_size", item.panics) == "1"
    assert safe_value("usize", "len", item.panics) is None  # the docs speak of another parameter
    assert safe_value("u32", "radix", "") == "10"


def test_a_missing_radix_gets_ten_not_a_zero_that_panics(tmp_path: Path) -> None:
    root = write_lib(tmp_path, "digits", DIGITS)
    [d] = [d for d in run_check(root).diagnostics if d.code_str == "E0061"]
    callee = std_callee(d)
    assert callee is not None and callee.name == "to_digit" and callee.params == ("radix",)
    assert "radix" in callee.panics
    [plain] = filled_placeholders(d)  # without the docs: the plain value, which would panic
    [documented] = filled_placeholders(d, callee)
    assert plain.edits[0].replacement.strip("()") == "0"
    assert documented.edits[0].replacement.strip("()") == "10"


LENGTHS = """pub fn report(words: &[&str]) -> String {
    let total = words.iter().map(|w| w.len()).sum();
    format!("{total} bytes")
}
"""


def test_a_type_hole_gets_the_type_rustcs_note_names_never_a_value(tmp_path: Path) -> None:
    root = write_lib(tmp_path, "lengths", LENGTHS)
    [d] = [d for d in run_check(root).diagnostics if d.code_str in ("E0283", "E0282")]
    [c] = filled_placeholders(d)
    assert c.family == TYPE_FAMILY
    source = (root / "src" / "lib.rs").read_bytes()
    patched = apply_edits(source, c.edits).decode()
    assert "let total: usize = words" in patched
    (root / "src" / "lib.rs").write_text(patched)
    assert run_check(root).status == "clean"
