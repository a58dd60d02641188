"""The edit grammar on real rustc JSON (tests/facts/captured.json): for each general shape, the fix a
developer would write is among the candidates, ranked above the alternatives it should beat, and it
compiles with the real rustc."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import msgspec
import pytest

from engine.edits import apply_edits
from engine.repair.grammar import grammar_candidates
from engine.repair.types import Candidate
from toolbelt.types import Diagnostic

CAPTURED = json.loads((Path(__file__).parents[1] / "facts" / "captured.json").read_text())

# case -> (the fixed line as a developer writes it, a snippet of the source it replaces)
EXPECTED = {
    "cast": ("{ x as f64 }", "{ x }"),
    "cast_binary": ("{ (a + b) as f64 }", "{ a + b }"),
    "cast_arg": ("half(n as f64)", "half(n)"),
    "to_path_buf": ("{ p.to_path_buf() }", "{ p }"),
    "to_string": ('{ "rusta".to_string() }', '{ "rusta" }'),
    "as_str": ("shout(&s)", "shout(s)"),
    "as_ref": ("{ o.as_ref() }", "{ o }"),
    "question": ("s.parse::<i32>()?;", "s.parse::<i32>();"),
    "some": ("{ Some(x) }", "{ x }"),
    "deref": ("{ *x }", "{ x }"),
    "to_vec": ("{ v.to_vec() }", "{ v }"),
    "trait_mut_self": ("fn inc(&mut self) {}", "fn inc(&self) {}"),
    "param_mut": ("fn push(v: &mut Vec<i32>)", "fn push(v: &Vec<i32>)"),
    "e0596_decl": ("let mut v=Vec::new()", "let v=Vec::new()"),
    "move_for": ("for s in &v", "for s in v"),
    "e0507_idx": ("let s: String = v[0].clone();", "let s: String = v[0];"),
    "move_idx_match": ("match &v[0]", "match v[0]"),
    "move_self": ("fn consume(&self)", "fn consume(self)"),
    "question_use": ("let buf = r.fill_buf()?;", "let buf = r.fill_buf();"),
    "to_string_use": ('let name = "rusta".to_string();', 'let name = "rusta";'),
    "method_move": ("let s = c.clone().into_s();", "let s = c.into_s();"),
    "option_ref": ('m.get("a").copied().unwrap();', 'm.get("a");'),
    "fn_item": ("let mut op: fn(i32) -> i32 = double;", "let mut op = double;"),
    "twin_iter": ("scores.iter().map(|s| s * 2)", "scores.into_iter().map(|s| s * 2)"),
    "twin_keys": ("let n = m.keys().count();", "let n = m.into_keys().count();"),
    "return_local": ("pub fn greeting(name: &str) -> String {", "pub fn greeting(name: &str) -> &str {"),
}
# Fixes that are one step of several (the uses must change too): proposed, not compiled alone.
STEPS = {"str_field": ("pub name: String,", "pub name: &str,")}


def _candidates(case: str) -> tuple[list[Candidate], bytes]:
    entry = CAPTURED[case]
    source = entry["source"].encode()
    diag = msgspec.convert(entry["diagnostics"][0], Diagnostic)
    cands = grammar_candidates(diag, lambda rel: source if rel == "src/main.rs" else None)
    return sorted(cands, key=lambda c: -c.score), source


def _fixed(c: Candidate, source: bytes) -> str:
    return apply_edits(source, c.edits).decode()


@pytest.mark.parametrize("case", sorted(EXPECTED | STEPS))
def test_the_developers_fix_is_proposed(case: str) -> None:
    want, was = (EXPECTED | STEPS)[case]
    cands, source = _candidates(case)
    assert was in source.decode()
    fixed = [_fixed(c, source) for c in cands]
    assert any(want in f for f in fixed), f"{case}: {[c.description for c in cands]}"


def test_borrowing_is_tried_before_cloning() -> None:
    cands, _ = _candidates("e0507_idx")
    families = [c.family for c in cands]
    assert families.index("op:borrow") < families.index("op:clone")


def test_a_borrowing_twin_goes_before_a_clone_of_the_receiver() -> None:
    for case in ("twin_iter", "twin_keys"):
        cands, _ = _candidates(case)
        families = [c.family for c in cands]
        assert families.index("op:borrow-twin") < families.index("op:clone"), (case, families)


def test_no_borrow_inside_a_pattern_and_no_operator_without_a_fact() -> None:
    cands, _ = _candidates("e0599")  # no method named `nope`: no type relation, no move, no binding
    assert cands == []
    cands, _ = _candidates("e0308_ifelse")  # expected `i32`, found `()`: no conversion makes `()` an i32
    assert all(c.family != "op:into" for c in cands)
    cands, _ = _candidates("param_mut")  # behind a `&` reference: `mut v` would not help
    assert [c.family for c in cands] == ["op:param-mut"]


@pytest.mark.slow
def test_each_proposed_fix_compiles_with_rustc(tmp_path: Path) -> None:
    """The fix for each shape, applied to its program, passes the real compiler (not just our guess)."""
    failures = []
    for case, (want, _) in sorted(EXPECTED.items()):
        cands, source = _candidates(case)
        fix = next(c for c in cands if want in _fixed(c, source))
        path = tmp_path / f"{case}.rs"
        path.write_text(_fixed(fix, source))
        proc = subprocess.run(
            [
                "rustc",
                "--edition",
                "2021",
                "--emit=metadata",
                "-o",
                str(tmp_path / f"{case}.rmeta"),
                str(path),
            ],
            capture_output=True,
            text=True,
        )
        errors = [ln for ln in proc.stderr.splitlines() if ln.startswith("error")]
        if proc.returncode != 0:
            failures.append((case, errors[:2]))
    assert failures == []


def test_operators_wrap_whole_expressions_never_types_or_method_parts() -> None:
    cands, source = _candidates("method_move")  # rustc's move span is `into_s()`, not an expression
    assert all(".&(" not in _fixed(c, source) and ".(into_s" not in _fixed(c, source) for c in cands)
    assert not any(c.family == "op:at-binding" for c in cands)  # a clone at `let c = ..` still moves
    cands, _ = _candidates("stray_semi_type")  # expected `f64`, found `()`: the site is the type `f64`
    assert cands == []
    cands, _ = _candidates("fn_item")  # a fn item type cannot be converted into by name
    assert all(c.family != "op:into" for c in cands)
    cands, _ = _candidates("option_ref")  # `?` in `fn main()` that returns `()` cannot compile
    assert all(c.family != "op:question" for c in cands)


def test_moves_are_shared_only_at_places_and_a_struct_update_clones_its_base() -> None:
    """`&S { ..base }` and `S { .. }.clone()` copy a new value, not the moved one: the borrow and the
    clone go on places; a struct literal's `..base` gets the clone on `base`."""
    from engine.facts.types import Place
    from engine.repair.grammar import _sharing, _update_base
    from engine.repair.sites import Site

    src = b"fn f(base: S) -> S { let t = S { a: 1, ..base }; t }\n"
    lit = src.index(b"S { a")
    end = src.index(b"}; t") + 1
    site = Site(Place(file="x.rs", start=lit, end=end, line=1, column=1), src)
    assert site.shape.kind == "struct_expression" and _sharing(site) == []
    ((edits, desc, _, _),) = _update_base(site, lambda rel: src)
    assert _fixed_text(src, edits) == "fn f(base: S) -> S { let t = S { a: 1, ..base.clone() }; t }\n"
    name = src.index(b"base }")
    place = Site(Place(file="x.rs", start=name, end=name + 4, line=1, column=1), src)
    assert [d for _, d, _, _ in _sharing(place)] == [
        "borrow `base` instead of moving it",
        "clone `base` so the original stays usable",
    ]


def _fixed_text(src: bytes, edits) -> str:
    return apply_edits(src, edits).decode()
