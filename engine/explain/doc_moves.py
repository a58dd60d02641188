"""What deleting an empty line inside a run of doc comments does to the docs: nothing rustdoc shows.

Why: outer doc comments (`///`) document the next item whether or not an empty line parts them from
it, so `/// Helpers for sensors.` at the top of lib.rs, an empty line, then `/// Weighted mean..` and
`fn weighted_mean` gives `weighted_mean` both lines. Clippy's empty_line_after_doc_comments offers to
delete the line (the docs stay as they are: the first line in the fn's docs) or, at the top of a
file, to make the first block inner docs (`//!`, the crate's or module's docs, which the layout
suggests was meant). The general mistake: showing the delete as a neutral clean-up, when it fixes in
place the very merge the empty line hid (review A a06). The option says what it keeps, read from the
syntax tree, and so ranks below a fix that states nothing. Pure: bytes in, one phrase out.
"""

from __future__ import annotations

from collections.abc import Mapping

from engine.repair.types import Edit
from engine.syntax.tree import node_text, parse

_ITEMS = ("function_item", "struct_item", "enum_item", "trait_item", "mod_item", "const_item", "static_item")


def _doc_line(source: bytes, end: int) -> str:
    """The `///` line that ends at byte `end` (its newline excluded), or ""."""
    start = source.rfind(b"\n", 0, end) + 1
    line = source[start:end].decode("utf-8", "replace").strip()
    return line if line.startswith("///") and not line.startswith("////") else ""


def kept_in_item_docs(edits: tuple[Edit, ...], files: Mapping[str, bytes]) -> str:
    """ "rustdoc unchanged: `/// Helpers..` (line 1) stays in `weighted_mean`'s docs, ..." when the
    option only deletes empty lines right after a `///` line; "" otherwise."""
    if len(edits) != 1 or edits[0].replacement or edits[0].file not in files:
        return ""
    e = edits[0]
    source = files[e.file]
    gone = source[e.start : e.end]
    if not gone or gone.strip() or b"\n" not in source[e.start - 1 : e.end]:
        return ""
    before = source[: e.start].rstrip(b" \t")
    doc_end = len(before.rstrip(b"\n"))
    doc = _doc_line(source, doc_end)
    if not doc:
        return ""
    root = parse(source).root_node
    item = next((n for n in root.named_children if n.type in _ITEMS and n.start_byte >= e.end), None)
    name = node_text(item.child_by_field_name("name")) if item is not None else ""
    if not name:
        return ""
    line = source[:doc_end].count(b"\n") + 1
    at_top = not any(
        n.end_byte <= e.start and n.type not in ("line_comment", "block_comment", "attribute_item")
        for n in root.named_children
    )
    owner = "crate" if e.file.endswith(("lib.rs", "main.rs")) else "module"
    said = (
        f"rustdoc unchanged: `{doc}` (line {line}) stays in `{name}`'s docs, where a `///` line goes "
        "with or without the empty line"
    )
    return said + (
        f"; if it describes the {owner}, the `//!` variant makes it the {owner}'s docs" if at_top else ""
    )
