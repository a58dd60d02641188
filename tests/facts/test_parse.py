"""Facts from real rustc JSON (captured by capture.py): each general shape yields its typed facts,
and the origin comes from rustc's children when they name one in the user's code."""

from __future__ import annotations

import json
from pathlib import Path

import msgspec
import pytest

from engine.facts.parse import facts_of
from engine.facts.types import Facts
from toolbelt.types import Diagnostic

CAPTURED = json.loads((Path(__file__).parent / "captured.json").read_text())


def _facts(case: str) -> tuple[Facts, bytes]:
    entry = CAPTURED[case]
    diag = msgspec.convert(entry["diagnostics"][0], Diagnostic)
    return facts_of(diag), entry["source"].encode()


def _text(src: bytes, p) -> str:
    return src[p.start : p.end].decode()


def test_for_loop_move_names_the_loop_and_the_type() -> None:
    f, src = _facts("move_for")
    assert (f.binding, f.binding_type, f.not_copy) == ("v", "Vec<String>", True)
    assert f.move_kind == "for-loop" and _text(src, f.moved_at) == "v"
    assert f.consumer == "into_iter" and f.consumer_at is None  # std's `into_iter`, not the user's code
    assert f.origin is not None and f.origin.kind == "move" and "`for` loop" in f.origin.reason


def test_a_consuming_receiver_in_the_users_code_is_the_origin() -> None:
    f, src = _facts("move_self")
    assert f.consumer == "S::consume" and _text(src, f.consumer_at) == "self"
    assert f.origin is not None and f.origin.kind == "consuming-receiver"
    # the call that moved it is where the fix goes; the reason names the `self` that consumes
    assert _text(src, f.origin.place) == "consume()" and f.origin.place != f.primary
    assert f"(line {f.consumer_at.line})" in f.origin.reason


def test_an_fn_closure_capture_points_at_the_fn_bound() -> None:
    f, src = _facts("e0507_fn")
    assert f.closure_kind == "Fn" and f.binding == "s"
    assert f.origin is not None and f.origin.kind == "closure-kind" and _text(src, f.origin.place) == "Fn()"


def test_a_trait_bound_is_the_origin_of_e0277() -> None:
    f, src = _facts("e0277_bound")
    assert f.trait_name == "std::fmt::Display"
    assert f.origin is not None and f.origin.kind == "trait-bound" and _text(src, f.origin.place) == "Display"
    assert f.bound_call_at is not None


def test_a_missing_bound_on_the_callers_type_parameter_is_the_origin() -> None:
    f, src = _facts("bound_generic")  # render<T: Display> called from all<T>: the fix is all's bound
    assert f.origin is not None and f.origin.kind == "trait-bound" and f.origin.place.line == 3
    assert "no `std::fmt::Display` bound" in f.origin.reason


def test_if_without_else_and_expected_types() -> None:
    f, _ = _facts("e0308_ifelse")
    assert f.missing_else and (f.expected, f.found) == ("i32", "()")
    assert f.origin is not None and f.origin.kind == "missing-else"
    f, src = _facts("e0308_let")
    assert (f.expected, f.found) == ("i32", "&str")
    assert f.origin is not None and f.origin.kind == "expected-type" and _text(src, f.origin.place) == "i32"


def test_suggestions_borrows_and_mut_help_are_typed() -> None:
    f, src = _facts("e0596_decl")
    assert f.make_mut_at is not None and f.suggestions[0].edits[0].replacement == "mut "
    f, src = _facts("e0502")
    assert _text(src, f.borrowed_at) == "v" and _text(src, f.later_used_at) == "first"
    f, _ = _facts("e0507_idx")
    assert [s.edits[0].replacement for s in f.suggestions] == ["&", ".clone()"]


@pytest.mark.parametrize("case", sorted(CAPTURED))
def test_every_place_is_in_the_users_file_and_every_origin_differs_only_with_a_reason(case: str) -> None:
    f, src = _facts(case)
    places = [p for p in (f.primary, f.moved_at, f.consumer_at, f.bound_at, f.expected_due_to) if p]
    assert all(p.file == "src/main.rs" and 0 <= p.start <= p.end <= len(src) for p in places)
    if f.origin is not None:
        assert f.origin.reason and f.origin.place.file == "src/main.rs"
