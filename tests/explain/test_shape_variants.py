"""Ownership and lifetime stories told by the shape rustc reports, not by the error code's template.

Real cargo on two small crates (one with borrow-check errors, one with lifetime errors, since rustc
stops before borrow checking when lifetimes are missing):
- a move inside a loop is told as a loop (the next iteration finds the value gone);
- a value moved into a closure is told as a capture;
- a move out of an `Fn` closure's capture is told as a closure that may run again, and
  "accept `FnOnce`" is offered only when the bound is the crate's;
- a match through a reference is told as bindings that would move out of borrowed data;
- a reference stored in a struct, and a returned reference with no input, get their own stories.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.explain.crates import explain_lib, line_of

pytestmark = pytest.mark.slow

BORROWS = """pub fn consume(v: Vec<String>) -> usize { v.len() }

pub fn each_round(names: Vec<String>) -> usize {
    let mut total = 0;
    for _ in 0..3 {
        total += consume(names);
    }
    total
}

pub fn while_rounds(mut left: u8, words: Vec<String>) -> usize {
    let mut n = 0;
    while left > 0 {
        n += consume(words);
        left -= 1;
    }
    n
}

pub fn spawnish(label: String) -> usize {
    let f = move || label.len();
    f() + label.len()
}

pub fn twice<F: Fn() -> usize>(f: F) -> usize { f() + f() }

pub fn captured(data: Vec<u8>) -> usize {
    twice(move || { let v = data; v.len() })
}

pub struct Profile { pub nickname: Option<String> }

pub fn display(p: &Profile) -> String {
    match p.nickname {
        Some(n) => n,
        None => String::new(),
    }
}
"""

LIFETIMES = """pub struct Token {
    pub text: &str,
    pub at: usize,
}

pub fn default_name() -> &str {
    "anonymous"
}
"""


_explain = explain_lib
_line = line_of


@pytest.fixture(scope="module")
def borrows(tmp_path_factory: pytest.TempPathFactory):
    return _explain(tmp_path_factory.mktemp("shapes"), "borrows", BORROWS)


def _story(stories, src: str, text: str):
    line = _line(src, text)
    return next(e for e in stories if line in (e.primary.line, e.root_cause.line))


@pytest.mark.parametrize("text", ["total += consume(names);", "n += consume(words);"])
def test_a_move_in_a_loop_is_told_as_a_loop(borrows, text: str) -> None:
    e = _story(borrows, BORROWS, text)
    assert e.code == "E0382" and "loop" in e.summary and "iteration" in e.why


def test_a_move_into_a_closure_is_told_as_a_capture(borrows) -> None:
    e = _story(borrows, BORROWS, "let f = move || label.len();")
    assert e.code == "E0382" and "closure" in e.summary and "loop" not in e.summary


def test_a_move_out_of_an_fn_capture_says_the_closure_may_run_again(borrows) -> None:
    e = _story(borrows, BORROWS, "twice(move || { let v = data; v.len() })")
    assert e.code == "E0507" and "run again" in e.summary
    assert "accept `FnOnce`" in [o.name for o in e.options]  # the `F: Fn()` bound is this crate's


def test_a_match_through_a_reference_is_told_as_moving_bindings(borrows) -> None:
    e = _story(borrows, BORROWS, "match p.nickname {")
    assert e.code == "E0507" and "binds" in e.summary
    assert [o.name for o in e.options][0] == "match on a reference"


def test_a_reference_in_a_struct_and_a_returned_reference_without_input(tmp_path: Path) -> None:
    stories = _explain(tmp_path, "lifetimes", LIFETIMES)
    field = _story(stories, LIFETIMES, "pub text: &str,")
    assert field.code == "E0106" and "stored in the type" in field.summary
    assert "two reference inputs" not in field.why
    assert [o.name for o in field.options] == ["name the lifetime", "own the data"]
    ret = _story(stories, LIFETIMES, "pub fn default_name() -> &str {")
    assert "takes none" in ret.summary and "return static data" in [o.name for o in ret.options]


MUTATION = """use std::collections::HashMap;
use std::rc::Rc;

pub fn on_each<F: Fn(&str)>(items: &[&str], f: F) { for i in items { f(i) } }

pub fn tally(items: &[&str]) -> usize {
    let mut seen: HashMap<String, u32> = HashMap::new();
    on_each(items, |w| { *seen.entry(w.to_string()).or_insert(0) += 1; });
    seen.len()
}

pub struct Stock { pub items: Vec<String> }
pub struct Shop { pub stock: Rc<Stock> }

pub fn restock(shop: &mut Shop, item: &str) {
    shop.stock.items.push(item.to_string());
}

pub fn count_up(n: u32) -> u32 {
    let total = 0;
    for i in 0..n { total += i; }
    total
}

pub fn bump(v: &Vec<u32>) { v.push(1); }
"""

INFER = """pub struct Order { pub cents: u64 }

pub fn mean(orders: &[Order]) -> f64 {
    let total = orders.iter().map(|o| o.cents).sum();
    total as f64 / orders.len() as f64
}
"""


@pytest.fixture(scope="module")
def mutation(tmp_path_factory: pytest.TempPathFactory):
    return _explain(tmp_path_factory.mktemp("mutation"), "mutation", MUTATION)


def test_mutating_a_capture_of_an_fn_closure_is_about_the_bound_not_the_binding(mutation) -> None:
    e = _story(mutation, MUTATION, "on_each(items, |w|")
    assert e.code == "E0596" and e.title == "mutation inside an `Fn` closure"
    assert (e.root_cause.line, "FnMut" in e.root_cause_reason) == (_line(MUTATION, "pub fn on_each"), True)
    names = [o.name for o in e.options]
    assert names[0] == "accept `FnMut`" and "make the binding mut" not in names


def test_mutating_through_rc_asks_for_interior_mutability_not_mut_or_ref_mut(mutation) -> None:
    e = _story(mutation, MUTATION, "shop.stock.items.push")
    assert e.code == "E0596" and e.title == "mutation through a shared pointer"
    names = [o.name for o in e.options]
    assert names[0] == "interior mutability"
    assert "make the binding mut" not in names and "take &mut in the signature" not in names


def test_the_binding_and_the_reference_stories_offer_only_what_applies(mutation) -> None:
    # E0384 (assign twice) is not E0596; the E0596 cases: a `&Vec` parameter, and the plain binding
    bump = _story(mutation, MUTATION, "pub fn bump(v: &Vec<u32>)")
    names = [o.name for o in bump.options]
    assert "take &mut in the signature" in names and "make the binding mut" not in names


def test_an_uninferred_type_names_the_generic_call_and_no_probe_invents_one(tmp_path: Path) -> None:
    (e,) = _explain(tmp_path, "infer", INFER)
    assert e.code == "E0282" and "`total`" in e.summary
    assert [o.name for o in e.options] == ["annotate the binding", "name it at the call"]
    from engine.explain.probes import probe_facts

    assert probe_facts(tmp_path / "infer", e.diagnostics[0], e.root_cause, e.primary) == []


TWO_TYPES = """pub struct Line { pub quiet: bool }

pub fn visible<'a>(lines: &'a [Line], all: bool) -> impl Iterator<Item = &'a Line> {
    if all {
        lines.iter()
    } else {
        lines.iter().filter(|l| !l.quiet)
    }
}

pub fn evens(n: u32, rev: bool) -> impl Iterator<Item = u32> {
    match rev {
        true => (0..n).rev(),
        false => (0..n).step_by(2),
    }
}
"""


def test_two_branch_types_behind_impl_trait_are_one_story_with_rustcs_helps_joined(tmp_path: Path) -> None:
    stories = _explain(tmp_path, "twotypes", TWO_TYPES)
    e = _story(stories, TWO_TYPES, "lines.iter().filter(|l| !l.quiet)")
    assert e.code == "E0308" and "one concrete type" in e.summary
    assert [o.name for o in e.options][0] == "one type for every branch"
    # rustc's "change the return type" and "if you change the return type ..., box ..." are one fix
    boxed = [f for f in e.fixes if "Box<dyn" in f.patch]
    assert boxed and all("Box::new(" in f.patch for f in boxed)
    arms = _story(stories, TWO_TYPES, "false => (0..n).step_by(2),")
    assert arms.code == "E0308"


MATCHES = """pub fn op(cmd: String) -> u8 {
    match cmd {
        "add" => 1,
        "sub" => 2,
        _ => 0,
    }
}

pub fn largest<T>(xs: &[T]) -> &T {
    let mut best = &xs[0];
    for x in xs { if x > best { best = x; } }
    best
}

pub const GREETING: String = String::from("hi");
"""


def test_string_literal_patterns_against_a_string_say_match_on_a_view(tmp_path: Path) -> None:
    stories = _explain(tmp_path, "matches", MATCHES)
    e = _story(stories, MATCHES, '"add" => 1,')
    assert e.code == "E0308" and "patterns do not convert" in e.summary
    assert [o.name for o in e.options][0] == "match on a view"
    bound = next(s for s in stories if s.code == "E0369")
    assert [o.name for o in bound.options][0] == "add the complete bound"
    const = next(s for s in stories if s.code == "E0015")
    assert "make the callee const fn" not in [o.name for o in const.options]  # `String::from` is std's


def test_copy_on_a_type_that_owns_text_says_why_and_offers_clone(tmp_path: Path) -> None:
    src = "#[derive(Clone, Copy)]\npub struct Tag {\n    pub id: u32,\n    pub text: String,\n}\n"
    (e,) = _explain(tmp_path, "copytag", src)
    assert e.code == "E0204" and "bit for bit" in e.why
    assert [o.name for o in e.options][0] == "derive only Clone"


RETURNED = """use std::collections::HashMap;

pub struct Cache { map: HashMap<u32, String> }

impl Cache {
    pub fn get_or_make(&mut self, k: u32) -> &String {
        if let Some(v) = self.map.get(&k) {
            return v;
        }
        self.map.insert(k, k.to_string());
        &self.map[&k]
    }
}

pub async fn fetch() -> Result<u8, String> { Ok(1) }
pub async fn label() -> String { let n = fetch().await?; n.to_string() }
"""


def test_a_borrow_returned_on_one_path_is_the_known_limitation_not_a_reorder(tmp_path: Path) -> None:
    stories = _explain(tmp_path, "returned", RETURNED)
    e = next(s for s in stories if s.code == "E0502")
    assert "returned from the function on one path" in e.summary
    assert "reorder" not in [o.name for o in e.options]
    q = next(s for s in stories if s.code == "E0277")  # `?` in an async fn returning String
    assert "returns neither" in q.summary and "From" not in q.summary


MORE = """use std::time::Instant;

pub static STARTED: Instant = Instant::now();

pub fn retry<F: Fn() -> bool>(n: u32, op: F) -> bool { (0..n).any(|_| op()) }

pub fn count_tries() -> u32 {
    let mut tries = 0;
    retry(3, || { tries += 1; false });
    tries
}

pub struct Profile { pub name: String }
async fn load() -> Profile { Profile { name: String::new() } }
pub async fn greet() -> String { let p = load(); p.name.clone() }
"""


def test_an_fn_closure_assigning_a_capture_a_future_read_as_a_struct_and_a_runtime_static(
    tmp_path: Path,
) -> None:
    stories = _explain(tmp_path, "more", MORE)
    assign = next(s for s in stories if s.code == "E0594")
    assert assign.title == "assignment inside an `Fn` closure"
    assert assign.root_cause.line == _line(MORE, "pub fn retry") and "FnMut" in assign.root_cause_reason
    assert [o.name for o in assign.options][0] == "accept `FnMut`"
    field = next(s for s in stories if s.code == "E0609")
    assert "future" in field.summary and [o.name for o in field.options] == ["await it where it is created"]
    static = next(s for s in stories if s.code == "E0015")
    assert [o.name for o in static.options][0] == "compute lazily"
    assert "use a function" not in [o.name for o in static.options]
