"""Template text decided by facts Rusta has, never said against them. Real cargo on small crates.

- E0502 with rustc's "as immutable because it is also borrowed as mutable" is a live `&mut` and a
  later read: the story says mutable first, shared second (never the reverse);
- "loop over indices" only for a loop over a `Vec`, `VecDeque`, slice or array, never a map;
- a clone's cost follows the type: an `Arc`'s clone copies a pointer and bumps a count;
- "derive" only for a trait std's derives write (`Sum` is implemented by hand);
- an `as` cast from a type parameter is answered with a bound, from text with parsing, and a Why
  that restates rustc's headline with a place is not said.
"""

from __future__ import annotations

import pytest

from modes.study import why_text
from tests.explain.crates import explain_lib
from tests.explain.crates import option_names as _names
from tests.explain.crates import story as _story
from tests.explain.crates import story_text as _text

pytestmark = pytest.mark.slow

BORROWS = """use std::collections::BTreeMap;

pub struct Slot {
    pub count: u64,
}

pub fn bump(shelf: &mut BTreeMap<u32, Slot>, id: u32) {
    let slot = shelf.get_mut(&id).unwrap();
    slot.count += 1;
    let n = shelf.len();
    slot.count += n as u64;
}

pub fn drop_empty(shelf: &mut BTreeMap<u32, Slot>) {
    for (id, slot) in shelf.iter() {
        if slot.count == 0 {
            shelf.remove(id);
        }
    }
}

pub fn grow(v: &mut Vec<Slot>) {
    for s in v.iter() {
        if s.count == 0 {
            v.push(Slot { count: 1 });
        }
    }
}
"""

VALUES = """use std::sync::Arc;

#[derive(Debug, Clone)]
pub struct Coins {
    pub n: u64,
}

pub fn total(v: &[Coins]) -> Coins {
    v.iter().cloned().sum()
}

pub fn keep(_a: Arc<Vec<u32>>) {}

pub fn twice() {
    let data = Arc::new(vec![1, 2, 3]);
    keep(data);
    keep(data); // again
}

pub fn widths(line: &str) -> usize {
    let parts: Vec<_> = line.split(' ').map(|s| s.parse()).filter_map(Result::ok).collect();
    parts.len()
}

pub fn mean<T: Copy + std::ops::Add<Output = T>>(xs: &[T], zero: T) -> f64 {
    let mut t = zero;
    for &x in xs {
        t = t + x;
    }
    t as f64 / xs.len() as f64
}

pub fn num(s: String) -> u32 {
    s as u32
}
"""


@pytest.fixture(scope="module")
def borrows(tmp_path_factory):
    return explain_lib(tmp_path_factory.mktemp("borrows"), "borrows", BORROWS)


@pytest.fixture(scope="module")
def values(tmp_path_factory):
    return explain_lib(tmp_path_factory.mktemp("values"), "values", VALUES)


def test_a_live_mutable_borrow_then_a_read_is_told_that_way_round(borrows) -> None:
    e = _story(borrows, BORROWS, "let n = shelf.len()", "E0502")
    assert "mutable borrow of `*shelf`" in e.summary
    assert "shared borrow of `*shelf` taken" not in _text(e)
    assert "cannot be mutated while a shared reference" not in e.invariant
    assert "read first" in _names(e)


def test_the_reverse_order_keeps_the_shared_then_mutable_story(borrows) -> None:
    e = _story(borrows, BORROWS, "v.push(", "E0502")
    assert "shared borrow" in e.summary
    assert "loop over indices" in _names(e)  # a Vec has positions


def test_a_map_has_no_indices_to_loop_over(borrows) -> None:
    e = _story(borrows, BORROWS, "shelf.remove(id)", "E0502")
    assert "loop over indices" not in _names(e)
    assert "indices and" not in e.why
    assert "collect, then act after the loop" in _names(e)


def test_an_arc_clone_costs_a_count_not_a_copy(values) -> None:
    e = _story(values, VALUES, "keep(data); // again", "E0382")
    clone = next(o for o in e.options if o.name == "clone at the move")
    assert "pointer" in clone.tradeoff and "copy of the data" not in clone.tradeoff
    assert "allocation" not in clone.tradeoff


def test_sum_is_implemented_by_hand_not_derived(values) -> None:
    e = _story(values, VALUES, "v.iter().cloned().sum()", "E0277")
    assert "or derive" not in " ".join(o.how for o in e.options)
    assert "implement or derive it" not in _names(e)
    assert "implement it" in _names(e)


def test_a_cast_from_a_type_parameter_is_a_bound_and_from_text_is_parsing(values) -> None:
    generic = _story(values, VALUES, "t as f64", "E0605")
    assert "bound the type parameter" in _names(generic)
    assert "String" not in generic.why and "pars" not in generic.why
    text = _story(values, VALUES, "s as u32", "E0605")
    assert _names(text) == ["parse"]


def test_a_why_that_is_the_headline_and_a_place_is_not_said(values) -> None:
    e = _story(values, VALUES, "s.parse()", "E0284")
    assert "type annotations needed" not in why_text(e).lower()
