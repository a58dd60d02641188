"""Where a missing `use` goes: after the last top-level `use`, else after the whole file header."""

from __future__ import annotations

from engine.repair.names import _use_insert_pos


def test_after_every_inner_doc_line_not_inside_the_crate_doc() -> None:
    src = b"//! One.\n//! Two.\n\n#![deny(missing_docs)]\n\npub fn f() {}\n"
    assert src[: _use_insert_pos(src)] == b"//! One.\n//! Two.\n\n#![deny(missing_docs)]\n"


def test_after_the_last_top_level_use() -> None:
    src = b"//! Doc.\nuse std::fmt;\nuse std::io;\n\nfn f() { use std::mem; }\n"
    assert src[: _use_insert_pos(src)] == b"//! Doc.\nuse std::fmt;\nuse std::io;\n"


def test_a_file_without_header_or_use_starts_at_zero() -> None:
    assert _use_insert_pos(b"fn main() {}\n//! late doc is not a header\n") == 0
