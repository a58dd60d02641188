"""E0499 on two `get_mut` calls into one map (#14): the two keys may be equal, and
`HashMap::get_disjoint_mut` panics then (its documented behaviour). Where nothing in the function
rules equal keys out (no `a == b` / `a != b` before the second lookup), the way that handles them
(one entry at a time) leads and the one-call way says it panics; where the function compares them
first, the one-call way leads. The mistakes guarded: "cannot tell that they point at different
entries" (they may be the same one) and a lead that panics on input the code allows. Real cargo on
a crate written here: a ledger moving amounts between accounts."""

from __future__ import annotations

from tests.explain.crates import explain_lib, option_names, story

SRC = """use std::collections::HashMap;

pub struct Ledger {
    balances: HashMap<u32, i64>,
}

impl Ledger {
    /// Moves `amount` from one account to another; moving to the same account changes nothing.
    pub fn transfer(&mut self, from: u32, to: u32, amount: i64) -> bool {
        let a = self.balances.get_mut(&from);
        let b = self.balances.get_mut(&to);
        match (a, b) {
            (Some(a), Some(b)) => {
                *a -= amount;
                *b += amount;
                true
            }
            _ => false,
        }
    }

    pub fn settle(&mut self, payer: u32, payee: u32) -> bool {
        if payer == payee {
            return false;
        }
        let p = self.balances.get_mut(&payer);
        let q = self.balances.get_mut(&payee);
        match (p, q) {
            (Some(p), Some(q)) => {
                *q += *p;
                *p = 0;
                true
            }
            _ => false,
        }
    }
}
"""


def test_equal_keys_lead_with_the_way_that_handles_them(tmp_path) -> None:
    stories = explain_lib(tmp_path, "ledger", SRC)
    open_keys = story(stories, SRC, "let b = self.balances.get_mut(&to);", "E0499")
    assert "cannot tell that they point at different entries" not in open_keys.summary
    assert "cannot rule out that the two keys name the same entry" in open_keys.summary, open_keys.summary
    names = option_names(open_keys)
    assert names[0] == "one at a time", names
    one_call = [o for o in open_keys.options if o.name == "one call for both"]  # rustc >= 1.86
    assert all("panics when two keys are equal" in o.tradeoff for o in one_call), one_call
    assert names == ["one at a time", *(o.name for o in one_call)], names

    guarded = story(stories, SRC, "let q = self.balances.get_mut(&payee);", "E0499")
    names = option_names(guarded)
    assert names[-1] == "one at a time" and names.count("one at a time") == 1, names
