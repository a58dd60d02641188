"""The option predicates (engine/explain/applicable.py): facts in, yes or no out; no fact means no."""

from __future__ import annotations

from engine.explain.applicable import base_name, holds
from engine.facts.types import Facts, Place

NAMES = {"type": frozenset({"Task"}), "trait": frozenset({"Render"})}


def _facts(**kw) -> Facts:
    return Facts(code="E0277", level="error", message="m", **kw)


def test_base_name_strips_references_paths_and_generics() -> None:
    assert base_name("&mut crate::model::Task<'a, T>") == "Task"
    assert base_name("std::vec::Vec<u8>") == "Vec"


def test_an_impl_is_possible_only_when_the_crate_owns_the_type_or_the_trait() -> None:
    f = _facts()
    assert holds("local_type_or_trait", f, {"type": "Task", "trait": "Clone"}, NAMES)
    assert holds("local_type_or_trait", f, {"type": "u32", "trait": "Render"}, NAMES)
    assert not holds("local_type_or_trait", f, {"type": "u32", "trait": "Add<usize>"}, NAMES)
    assert not holds("local_type", f, {}, NAMES)  # no type named: no claim


def test_a_bound_is_the_crates_only_when_rustc_points_into_it() -> None:
    assert not holds("local_bound", _facts(), {}, NAMES)
    here = Place(file="src/lib.rs", start=0, end=1, line=1, column=1)
    assert holds("local_bound", _facts(bound_at=here), {}, NAMES)
    assert not holds("no_such_predicate", _facts(bound_at=here), {}, NAMES)


def test_the_loader_refuses_unknown_predicates_and_shapes_that_move_the_root(tmp_path) -> None:
    import pytest

    from engine.explain.errors import KBEntryInvalid
    from engine.explain.kb_loader import load_entry

    base = 'code = "E0001"\ntitle = "t"\ninvariant = "I: x."\nsummary = "s"\nwhy = "w"\n'
    bad_req = base + '[[options]]\nname = "n"\nhow = "h"\ntradeoff = "t"\nrequires = ["local_typo"]\n'
    (tmp_path / "rustc").mkdir()
    p = tmp_path / "rustc" / "E0001.toml"
    p.write_text(bad_req)
    with pytest.raises(KBEntryInvalid, match="local_typo"):
        load_entry(p)
    opt = '[[options]]\nname = "n"\nhow = "h"\ntradeoff = "t"\n'
    p.write_text(base + opt + '[[variants]]\nshape = "binary_rhs"\nroot_cause = "primary"\n')
    with pytest.raises(KBEntryInvalid, match="may not set root_cause"):
        load_entry(p)
    p.write_text(base + opt + '[[variants]]\nshape = "binary_rhs"\nwhy = "w2"\n')
    assert load_entry(p).variants[0].shape == "binary_rhs"


def test_advice_to_write_a_type_no_program_can_write_is_dropped() -> None:
    from engine.explain.evidence import without_unwritable, writable

    assert not writable("Filter<Iter<'_, Line>, {closure@src/main.rs:18:29: 18:32}>")
    assert not writable("{integer}") and writable("Vec<u32>")
    text = "Change the annotation to `Filter<Iter<'_, L>, {closure@src/a.rs:1:2}>`. Or convert the value."
    assert without_unwritable(text) == "Or convert the value."
