"""A write through a reference that a std method lent shared (E0594/E0596): the way out is the
method's sibling that lends `&mut`, and the root cause is that call, never "change the parameter and
pass `&mut` at the call sites" when no parameter is involved. A reference that is a parameter keeps
that advice. Real cargo on library crates written here."""

from __future__ import annotations

import pytest

from engine.explain.validation import validate
from tests.explain.crates import explain_lib, line_of, story

pytestmark = pytest.mark.slow

TALLY = """use std::collections::HashMap;

pub struct Item { pub label: String, pub hits: u32 }

pub fn tally(seen: &[&str]) -> HashMap<String, u32> {
    let mut hits: HashMap<String, u32> = HashMap::new();
    for s in seen {
        match hits.get(*s) {
            Some(n) => *n += 1,
            None => { hits.insert(s.to_string(), 1); }
        }
    }
    hits
}

pub fn shout_first(items: &mut Vec<Item>) {
    let it = items.first().expect("one item");
    it.label.push('!');
}

pub fn bump(item: &Item) {
    item.hits += 1;
}
"""


def _checked(tmp_path, name, src):
    stories = explain_lib(tmp_path, name, src)
    return validate(list(stories), tmp_path / name).explanations


def test_the_mut_sibling_of_the_lending_call_is_the_way_out(tmp_path):
    stories = _checked(tmp_path, "tally", TALLY)
    get = story(stories, TALLY, "Some(n) => *n += 1", "E0594")
    assert get.root_cause.line == line_of(TALLY, "match hits.get(*s)"), get.root_cause
    assert "`get`" in get.summary and "call sites" not in get.summary
    names = [o.name for o in get.options]
    assert names[:2] == ["ask for `&mut` where the reference is made", "use the map's entry"], names
    assert not any("call sites" in o.how or o.name == "take &mut" for o in get.options)
    ok = [f for f in get.fixes if f.validated == "compiles"]
    assert ok and "hits.get_mut(*s)" in "".join(ok[0].shows), [(f.name, f.validated) for f in get.fixes]

    first = story(stories, TALLY, "it.label.push('!')", "E0596")
    assert first.root_cause.line == line_of(TALLY, "items.first()"), first.root_cause
    assert "use the map's entry" not in [o.name for o in first.options]  # a Vec has no entry
    ok = [f for f in first.fixes if f.validated == "compiles"]
    assert ok and "items.first_mut()" in "".join(ok[0].shows), [(f.name, f.validated) for f in first.fixes]


def test_a_reference_parameter_keeps_the_signature_advice(tmp_path):
    stories = _checked(tmp_path, "tally2", TALLY)
    param = story(stories, TALLY, "item.hits += 1", "E0594")
    assert any(o.name == "take &mut" for o in param.options), [o.name for o in param.options]
    assert not any("_mut" in "".join(f.shows) for f in param.fixes)
