"""A private field read from outside its module (E0616) is offered a getter the type adds, one patch with
the call, before making the field `pub`; a private method (E0624) is made `pub` where it is defined.
Real cargo, validated."""

from __future__ import annotations

import pytest

from engine.explain.validation import validate
from engine.repair.privacy import _getter_type
from tests.explain.crates import explain_lib

pytestmark = pytest.mark.slow

PRIVATE_FIELD = """mod sensors {
    pub struct Probe {
        label: String,
        pub readings: Vec<f32>,
    }

    impl Probe {
        pub fn new(label: &str) -> Probe {
            Probe { label: label.to_string(), readings: vec![20.5] }
        }
    }
}

pub fn describe() -> String {
    let p = sensors::Probe::new("attic");
    format!("{} has {}", p.label, p.readings.len())
}
"""


def test_a_private_field_is_offered_a_getter_that_compiles(tmp_path):
    stories = explain_lib(tmp_path, "probe", PRIVATE_FIELD)
    assert [e.code for e in stories] == ["E0616"]
    run = validate(stories, tmp_path / "probe")
    label = run.explanations[0].fixes[0]
    assert label.validated == "compiles"
    assert "        pub fn label(&self) -> &str {" in label.shows  # a String field lends a &str
    assert '    format!("{} has {}", p.label(), p.readings.len())' in label.shows
    assert len(label.edits) == 2  # the method and the call: one patch


def test_a_getter_lends_what_the_field_owns():
    assert _getter_type("Vec<f32>") == ("&[f32]", "&self.{f}")
    assert _getter_type("u64") == ("u64", "self.{f}")
    assert _getter_type("HashMap<String, u8>") == ("&HashMap<String, u8>", "&self.{f}")


ASSIGNED = """mod counter {
    pub struct Tally {
        n: u32,
    }

    impl Tally {
        pub fn zero() -> Tally {
            Tally { n: 0 }
        }
    }
}

pub fn bump() -> u32 {
    let mut t = counter::Tally::zero();
    t.n = 3;
    3
}
"""


def test_a_getter_is_not_shown_where_the_field_is_written(tmp_path):
    stories = explain_lib(tmp_path, "tally", ASSIGNED)
    run = validate(stories, tmp_path / "tally")
    assert all("n()" not in ln for e in run.explanations for o in e.fixes for ln in o.shows)
