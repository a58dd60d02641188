"""Changed top-level items, their parameters and `unsafe`, read from the tree (no text matching)."""

from __future__ import annotations

from engine.syntax.fn_items import changed_items, rename_calls, top_items

OLD = b"""\
/// says unsafe in a comment only
fn safe(x: u8) -> u8 { let s = "unsafe"; x }
unsafe fn raw(p: *const u8) -> u8 { *p }
impl Foo { fn a(&self) {} }
fn keep(a: &str, b: Vec<i64>) -> usize { a.len() + b.len() }
"""
NEW = (
    OLD.replace(b"x }", b"x + 0 }")
    .replace(b"{ *p }", b"{ *p.add(0) }")
    .replace(b"fn a(&self) {}", b"fn a(&self) { unsafe { core::hint::unreachable_unchecked() } }")
)


def test_changed_items_pair_old_and_new_and_leave_the_rest() -> None:
    got = [(it.name, prev is not None) for prev, it in changed_items(OLD, NEW)]
    assert got == [("safe", True), ("raw", True), ("impl Foo", True)]


def test_unsafe_is_found_in_the_tree_not_in_strings_or_comments() -> None:
    items = {it.name: it for it in top_items(NEW)}
    assert not items["safe"].has_unsafe  # the word is in a string and a comment only
    assert items["raw"].has_unsafe and items["impl Foo"].has_unsafe


def test_parameters_and_signature_facts() -> None:
    keep = next(it for it in top_items(OLD) if it.name == "keep")
    assert keep.params == (("a", "&str"), ("b", "Vec<i64>"))
    assert keep.return_type == "usize" and not keep.generic and not keep.has_self


def test_rename_calls_renames_the_fn_and_its_recursion_but_not_strings() -> None:
    src = 'fn f(n: u32) -> u32 { let s = "f"; if n == 0 { 0 } else { f(n - 1) } }'
    assert (
        rename_calls(src, "f", "g")
        == 'fn g(n: u32) -> u32 { let s = "f"; if n == 0 { 0 } else { g(n - 1) } }'
    )
