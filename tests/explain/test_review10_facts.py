"""Statements a fact decides, never the error code's template. Real cargo on small crates (borrow-check
errors in one, type and resolution-privacy errors in the other, since borrowck skips bodies with type
errors).

- `Option::take` is offered only when rustc says the moved place is an `Option`; a method that
  consumes its receiver is called on the owned value;
- "lifetime may not live long enough" from a coercion to a `dyn` object is the object lifetime default
  (`+ 'static`), never "tie the lifetimes to the output" (there is no output), and no option claims a
  help rustc did not give;
- a slice indexed by a signed integer names that integer and converts it, never a `SliceIndex` list;
- a tuple struct whose field is private has a private constructor: a privacy story, not a namespace one;
- any type may implement `Index` (not "only collections"), and the impl takes the index type the code
  uses; a `const` is computed once at compile time and inlined, never "at each use".
"""

from __future__ import annotations

import pytest

from tests.explain.crates import explain_lib, line_of
from tests.explain.crates import option_names as _names
from tests.explain.crates import story as _story
from tests.explain.crates import story_text as _text

pytestmark = pytest.mark.slow

BORROWS = """pub struct Query {
    pub table: String,
    pub limit: u32,
}

impl Query {
    pub fn limit(&mut self, n: u32) -> &mut Query {
        self.limit = n;
        self
    }

    pub fn finish(self) -> String {
        format!("{} {}", self.table, self.limit)
    }
}

pub fn run(q: &mut Query) -> String {
    let r = q.limit(3);
    r.finish()
}

pub struct Hooks {
    pub list: Vec<Box<dyn Fn() -> usize>>,
}

impl Hooks {
    pub fn add(&mut self, f: Box<dyn Fn() -> usize>) {
        self.list.push(f);
    }
}

pub fn wire(h: &mut Hooks, words: &[String]) {
    for w in words {
        h.add(Box::new(|| w.len()));
    }
}
"""

TYPES = """pub struct Grid {
    pub w: i64,
    pub tiles: Vec<u8>,
}

impl Grid {
    pub fn at(&self, x: i64, y: i64) -> u8 {
        self.tiles[y * self.w + x]
    }
}

pub mod money {
    #[derive(Debug)]
    pub struct Cents(u64);
}

use money::Cents;

pub fn price() -> money::Cents {
    money::Cents(250)
}

pub fn fee() -> Cents {
    Cents(99)
}

pub struct Board {
    pub n: usize,
    pub cells: Vec<char>,
}

impl Board {
    pub fn corner(&self) -> char {
        self[(0, 0)]
    }
}

pub const HALF_TURN: f64 = 4.0f64.atan();
"""


@pytest.fixture(scope="module")
def crates(tmp_path_factory: pytest.TempPathFactory) -> dict[str, tuple]:
    tmp = tmp_path_factory.mktemp("r10")
    return {
        name: explain_lib(tmp, f"r10_{name}", src) for name, src in (("borrows", BORROWS), ("types", TYPES))
    }


def test_option_take_needs_an_option_and_a_consuming_call_runs_on_the_owned_value(crates) -> None:
    e = _story(crates["borrows"], BORROWS, "r.finish()", "E0507")
    assert "take it, leave None" not in _names(e) and "Option::take" not in _text(e)
    assert "linked list" not in e.why
    assert "call it on the owned value" in _names(e)


def test_a_borrow_coerced_into_a_dyn_object_meets_the_static_default(crates) -> None:
    e = _story(crates["borrows"], BORROWS, "h.add(Box::new(", None)
    assert e.code is None and "'static" in e.invariant and "object lifetime default" in e.why
    assert "tie the lifetimes in the signature" not in _names(e)
    assert _names(e)[:2] == ["own what the value uses", "name the object's lifetime"]
    assert "move" in e.options[0].how and "rustc's help shows" not in _text(e)


def test_a_slice_indexed_by_a_signed_integer_names_that_integer(crates) -> None:
    e = _story(crates["types"], TYPES, "self.tiles[y * self.w + x]", "E0277")
    assert "`i64`" in e.summary and "usize" in e.summary and "SliceIndex" not in _text(e)
    assert "the bound at" not in e.summary and e.root_cause.line == e.primary.line
    assert "as usize" in e.options[0].how


@pytest.mark.parametrize("text, code", [("Cents(99)", "E0423"), ("money::Cents(250)", "E0603")])
def test_a_private_field_hides_a_tuple_struct_constructor(crates, text: str, code: str) -> None:
    e = _story(crates["types"], TYPES, text, code)
    assert "private" in e.summary and "named fields" not in _text(e) and "namespace" not in e.invariant
    assert e.root_cause.line == line_of(TYPES, "pub struct Cents(u64);")
    assert _names(e) == ["add a public constructor", "make the fields pub"]


def test_indexing_a_local_type_offers_its_index_impl_without_a_false_rule(crates) -> None:
    e = _story(crates["types"], TYPES, "self[(0, 0)]", "E0608")
    assert "Only collections" not in e.why and "any type the crate gives an impl" in e.why
    impl = next(o for o in e.options if o.name == "implement Index")
    assert "Index<usize>" not in impl.how and "tuple of positions" in impl.how


def test_a_const_is_computed_at_compile_time_not_at_each_use(crates) -> None:
    e = _story(crates["types"], TYPES, "pub const HALF_TURN", "E0015")
    fn = next(o for o in e.options if o.name == "use a function")
    assert "at each use, so the meaning stays" not in fn.tradeoff and "compile time" in fn.tradeoff
