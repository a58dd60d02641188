"""Root causes and fixes read from the code's shape, not from where rustc happens to point. Real
cargo on small crates written here.

- a type that contains itself (E0072): the query cycle rustc reports beside it (E0391) is the same
  mistake, one story; the fix boxes the recursive field and every value that fills it, and compiles;
- `?` in a function whose return type cannot carry a failure: the root is that function's signature
  line, not the `?`;
- `x == None` on an `Option` whose type has no `PartialEq`: the comparison is the root, and
  `.is_none()` (validated) leads rustc's derive;
- pair mode gives Rusta's way out when rustc's only help restates the error ("within `{closure}`,
  the trait `Send` is not implemented").
"""

from __future__ import annotations

from pathlib import Path

import pytest

from engine.explain.validation import validate
from modes.rendering import pair_lines
from tests.explain.crates import explain_lib, line_of
from tests.explain.crates import option_names as _names

pytestmark = pytest.mark.slow

RECURSIVE = """use std::collections::BTreeMap;

pub enum Shape {
    Dot,
    Group(BTreeMap<String, Shape>),
    Scaled(f32, Shape),
}

pub struct Chain {
    pub link: u8,
    pub rest: Option<Chain>,
}

pub fn sample(rest: Option<Chain>) -> (Shape, Chain) {
    let inner = Shape::Scaled(2.0, Shape::Dot);
    let first = Chain { link: 1, rest: None };
    let second = Chain { link: 2, rest: Some(first) };
    let _third = Chain { link: 3, rest };
    (Shape::Scaled(0.5, inner), second)
}

pub fn weight(s: &Shape) -> f32 {
    match s {
        Shape::Dot => 1.0,
        Shape::Group(m) => m.values().map(weight).sum(),
        Shape::Scaled(k, inner) => k * weight(inner),
    }
}
"""

QUESTION = """use std::num::ParseIntError;

fn parse(text: &str) -> Result<Vec<u16>, ParseIntError> {
    text.split(',').map(|t| t.trim().parse()).collect()
}

pub fn exit_code(text: &str) -> u8 {
    let values = parse(text)?;
    values.len() as u8
}
"""


@pytest.fixture(autouse=True)
def _own_cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("RUSTA_CACHE_DIR", str(tmp_path / "cache"))


def test_a_cycle_on_a_recursive_type_is_that_types_story_and_its_fix_boxes_every_fill(tmp_path: Path) -> None:
    stories = explain_lib(tmp_path, "recursive", RECURSIVE)
    assert [e.code for e in stories] == ["E0072", "E0072"]  # no story of its own for E0391
    shape = next(e for e in stories if "`Shape`" in e.message)
    assert [d.code_str for d in shape.diagnostics] == ["E0072", "E0391"]
    assert "struct is laid out" not in shape.why

    run = validate(stories, tmp_path / "recursive")
    for e, field, fill in (
        (run.explanations[0], "Scaled(f32, Box<Shape>),", "Shape::Scaled(0.5, Box::new(inner))"),
        (run.explanations[1], "pub rest: Option<Box<Chain>>,", "rest: Some(Box::new(first))"),
    ):
        best = e.fixes[0]
        shown = " ".join(best.shows)
        assert best.validated == "compiles", e.fixes
        assert field in shown and fill in shown, shown
    chain = " ".join(run.explanations[1].fixes[0].shows)
    assert "rest: rest.map(Box::new)" in chain and "Box::new(None)" not in chain
    assert run.set_verdict == "compiles"


def test_a_question_mark_in_a_function_that_cannot_fail_is_rooted_at_its_signature(tmp_path: Path) -> None:
    (e,) = explain_lib(tmp_path, "question", QUESTION)
    assert e.primary.line == line_of(QUESTION, "parse(text)?")
    assert e.root_cause.line == line_of(QUESTION, "pub fn exit_code")
    assert f"the signature at src/lib.rs:{line_of(QUESTION, 'pub fn exit_code')}" in e.summary


NONE_CMP = """pub struct Seat {
    pub row: u8,
}

pub fn free(seats: &[Option<Seat>]) -> usize {
    let mut n = 0;
    for s in seats {
        if s.as_ref() != None {
            continue;
        }
        n += 1;
    }
    n
}
"""

COUNTERS = """use std::cell::RefCell;
use std::rc::Rc;
use std::thread;

pub fn count(words: Vec<String>) {
    let seen: Rc<RefCell<Vec<usize>>> = Rc::new(RefCell::new(Vec::new()));
    for w in words {
        let seen = Rc::clone(&seen);
        thread::spawn(move || {
            seen.borrow_mut().push(w.len());
        });
    }
}
"""


def test_a_comparison_with_none_is_the_root_and_a_variant_test_leads(tmp_path: Path) -> None:
    stories = explain_lib(tmp_path, "none_cmp", NONE_CMP)
    e = next(s for s in stories if s.code == "E0369")
    assert e.root_cause.line == line_of(NONE_CMP, "!= None") != line_of(NONE_CMP, "pub struct Seat")
    assert _names(e)[:2] == ["test the variant", "match the pattern"]
    assert "a variant test" in e.summary and "derive" not in e.summary
    run = validate(stories, tmp_path / "none_cmp")
    best = run.explanations[stories.index(e)].fixes[0]
    assert best.validated == "compiles" and "if s.as_ref().is_some() {" in " ".join(best.shows), best


def test_pair_mode_gives_a_way_out_when_rustcs_help_only_restates_the_error(tmp_path: Path) -> None:
    (e,) = explain_lib(tmp_path, "counters", COUNTERS)
    text = "\n".join(ln.text for ln in pair_lines(e))
    # `let seen = Rc::clone(&seen)` only copies the handle: the value is made at `Rc::new` (#14)
    assert f"Root cause: src/lib.rs:{line_of(COUNTERS, 'let seen: Rc<RefCell')}" in text
    # the way out is the whole patch now: `Arc`/`Mutex` where it is made, at the copy and the borrow
    assert "Arc::new(Mutex::new(Vec::new()))" in text and "seen.lock().unwrap().push" in text, text
    assert "Help (rustc): within" not in text
