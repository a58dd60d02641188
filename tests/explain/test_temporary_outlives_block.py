"""E0716 where the borrow of a temporary is kept by something made before the block that holds the
statement (a `Vec` declared before the loop): "give the value a name" would put the name in the
loop's block, where it dies at each iteration's end (E0597), so the story must not say it; where the
borrow is used only inside that block, naming the value is the way out. Real cargo on small library
crates written here."""

from __future__ import annotations

import pytest

from tests.explain.crates import explain_lib, story_text
from tests.explain.crates import option_names as names

pytestmark = pytest.mark.slow

KEPT_BY_OUTER_VEC = """pub fn shouted(lines: &[&str]) -> usize {
    let mut keep: Vec<&str> = Vec::new();
    for line in lines {
        let loud = line.to_uppercase().trim_end();
        keep.push(loud);
    }
    keep.len()
}
"""

# the holder's own method says in its signature that it keeps the argument (`&'a str`, impl<'a>)
KEPT_BY_OWN_METHOD = """pub struct Tally<'a> {
    seen: Vec<&'a str>,
}

impl<'a> Tally<'a> {
    pub fn add(&mut self, tag: &'a str) {
        self.seen.push(tag);
    }
}

pub fn tally(words: &[&str]) -> usize {
    let mut t = Tally { seen: Vec::new() };
    for w in words {
        let tag = w.to_lowercase().trim_matches('#');
        t.add(tag);
    }
    t.seen.len()
}
"""

# the same call shape, but the method only reads its argument (`&str`, no lifetime of the impl)
READ_BY_OWN_METHOD = """pub struct Counter {
    hits: usize,
}

impl Counter {
    pub fn bump(&mut self, tag: &str) {
        self.hits += tag.len();
    }
}

pub fn count(words: &[&str]) -> usize {
    let mut c = Counter { hits: 0 };
    for w in words {
        let tag = w.to_lowercase().trim_matches('#');
        c.bump(tag);
    }
    c.hits
}
"""

USED_IN_BLOCK = """pub fn loud_len(s: &str) -> usize {
    let loud = s.to_uppercase().trim_start();
    loud.len()
}
"""


def test_a_borrow_kept_by_a_holder_made_before_the_loop_gets_no_give_it_a_name(tmp_path):
    e = next(s for s in explain_lib(tmp_path, "kept_outer", KEPT_BY_OUTER_VEC) if s.code == "E0716")
    assert "Give the value a name" not in story_text(e)
    assert "bind the temporary" not in names(e)
    assert "`keep`" in e.why and "E0597" in e.why


def test_a_borrow_used_inside_its_block_keeps_the_name_advice(tmp_path):
    e = next(s for s in explain_lib(tmp_path, "used_in_block", USED_IN_BLOCK) if s.code == "E0716")
    assert "Give the value a name" in e.why


def test_a_method_whose_signature_keeps_the_argument_is_a_holder(tmp_path):
    e = next(s for s in explain_lib(tmp_path, "kept_own", KEPT_BY_OWN_METHOD) if s.code == "E0716")
    assert "Give the value a name" not in story_text(e)
    assert "`t`" in e.why and "E0597" in e.why


def test_a_method_that_only_reads_the_argument_is_no_holder(tmp_path):
    e = next(s for s in explain_lib(tmp_path, "read_own", READ_BY_OWN_METHOD) if s.code == "E0716")
    assert "Give the value a name" in e.why
    assert "E0597" not in e.why


# review O (o13): the borrow goes to a call through `self` inside a closure's block, but `self`'s
# type has no lifetime, so nothing there can keep it: a `let` in the closure's block is enough
READ_THROUGH_SELF_IN_CLOSURE = """use std::collections::HashMap;

pub struct Shelf {
    stock: HashMap<String, u32>,
}

impl Shelf {
    pub fn has_all(&self, names: &[String]) -> bool {
        names.iter().all(|n| {
            let key = n.trim().to_lowercase().as_str();
            self.stock.contains_key(key)
        })
    }
}
"""

# a second shape: a plain method body, `self.count(..)` on the same kind of lifetime-free type
READ_THROUGH_SELF_METHOD = """pub struct Tags {
    n: usize,
}

impl Tags {
    fn count(&self, t: &str) -> usize {
        self.n + t.len()
    }

    pub fn total(&self, words: &[&str]) -> usize {
        let mut sum = 0;
        for w in words {
            let t = w.to_uppercase().trim_end();
            sum += self.count(t);
        }
        sum
    }
}
"""


@pytest.mark.parametrize(
    "name,src", [("self_closure", READ_THROUGH_SELF_IN_CLOSURE), ("self_method", READ_THROUGH_SELF_METHOD)]
)
def test_a_call_through_a_self_without_lifetimes_is_no_holder(tmp_path, name, src):
    e = next(s for s in explain_lib(tmp_path, name, src) if s.code == "E0716")
    text = story_text(e)
    assert "Give the value a name" in e.why
    assert "E0597" not in text and "still too early" not in text and "as long as `self`" not in text
