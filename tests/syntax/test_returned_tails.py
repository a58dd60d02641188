"""tails(): the values a block hands back, through a last `match`/`if` the grammar files as a
statement, at every depth."""

from __future__ import annotations

from engine.syntax.returned_tails import tails
from engine.syntax.tree import node_text, parse


def _body_tails(src: bytes, fn: str) -> list[str]:
    root = parse(src).root_node
    item = next(
        c
        for c in root.named_children
        if c.type == "function_item" and node_text(c.child_by_field_name("name")) == fn
    )
    body = item.child_by_field_name("body")
    assert body is not None
    return [node_text(t) for t in tails(body)]


SRC = b"""fn nested(x: u8, y: u8) -> u8 {
    let z = x + y;
    match x {
        0 => z,
        1 => if y > 0 { y } else { match z { 2 => 20, _ => { 21 } } },
        _ => { let w = z * 2; if w > 9 { w } else { 9 } }
    }
}
fn stated(x: u8) {
    match x { _ => 1 };
}
fn plain(x: u8) -> u8 { let y = x; y + 1 }
fn diverging(x: u8) -> u8 {
    if x > 0 { x } else { panic!("zero") }
}
fn ended(x: u8) -> u8 {
    if x > 0 { return 1; }
    x
}
"""


def test_a_block_ending_in_match_hands_back_every_arm_through_nested_match_and_if() -> None:
    assert _body_tails(SRC, "nested") == ["z", "y", "20", "21", "w", "9"]


def test_a_match_followed_by_a_semicolon_is_a_statement_with_no_tail() -> None:
    assert _body_tails(SRC, "stated") == []


def test_plain_and_diverging_tails_stay_as_they_were() -> None:
    assert _body_tails(SRC, "plain") == ["y + 1"]
    assert _body_tails(SRC, "diverging") == ["x"]  # panic! yields no value
    assert _body_tails(SRC, "ended") == ["x"]  # an `if` statement before the tail is not one
