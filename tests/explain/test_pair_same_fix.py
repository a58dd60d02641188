"""One edit that fixes two stories (a derive that clears two moves of one struct) is printed once in
pair mode; the later story points at the earlier one. Real cargo on a crate written here."""

from __future__ import annotations

import pytest

from engine.explain.validation import validate
from modes.verdicts import pair_verdict_lines
from tests.explain.crates import explain_lib

pytestmark = pytest.mark.slow

MONEY = """use std::ops::Add;

#[derive(Debug, PartialEq)]
pub struct Money {
    pub cents: i64,
}

impl Add for Money {
    type Output = Money;
    fn add(self, o: Money) -> Money {
        Money { cents: self.cents + o.cents }
    }
}

pub fn total(a: Money, b: Money) -> i64 {
    let sum = a + b;
    println!("{:?} {:?}", a, b);
    sum.cents
}
"""


def test_the_same_fix_for_two_stories_is_printed_once(tmp_path):
    stories = explain_lib(tmp_path, "money", MONEY)
    run = validate(list(stories), tmp_path / "money")
    earlier: dict[str, int] = {}
    texts = [
        "\n".join(ln.text for ln in pair_verdict_lines(e, run.failed[i], earlier, i + 1))
        for i, e in enumerate(run.explanations)
    ]
    derive = [t for t in texts if "Clone, Copy)]" in t]
    assert len(derive) == 1, texts
    assert any("the same edit as #1" in t for t in texts), texts
