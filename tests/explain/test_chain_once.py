"""Two steps of a finished fix that each answer one use of a moved value insert the same
`let value = data.clone();` at one place: the fix keeps it once."""

from __future__ import annotations

from engine.explain.chain import once

BEFORE = b"""for w in 0..4 {
    handles.push(thread::spawn(move || {
        total(&rows[..w]) + rows.len()
    }));
}
"""

STEPPED = b"""for w in 0..4 {
    let rows_copy = rows.clone();
    let rows_copy = rows.clone();
    handles.push(thread::spawn(move || {
        total(&rows_copy[..w]) + rows_copy.len()
    }));
}
"""


def test_a_let_line_two_steps_wrote_at_one_place_is_kept_once() -> None:
    got = once(BEFORE, STEPPED).decode()
    assert got.count("let rows_copy = rows.clone();") == 1, got
    assert "rows_copy.len()" in got


def test_a_repeated_line_the_file_already_had_is_left_alone() -> None:
    twice = b"    let x = next();\n    let x = next();\n"
    assert once(twice, twice + b"done();\n") == twice + b"done();\n"


def test_a_derive_line_a_step_adds_joins_the_items_own_derive() -> None:
    before = b"#[derive(Debug, PartialEq)]\npub struct Slot {\n    pub id: u32,\n}\n"
    stepped = b"#[derive(Debug, PartialEq)]\n#[derive(Clone)]\npub struct Slot {\n    pub id: u32,\n}\n"
    assert (
        once(before, stepped)
        == b"#[derive(Debug, PartialEq, Clone)]\npub struct Slot {\n    pub id: u32,\n}\n"
    )
