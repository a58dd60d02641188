"""E0499 on two `get_mut` calls whose keys are two parameters of the function: when a call in the
file passes one expression as both keys (a test's `assert!(s.move_units("bolts", "bolts", 3))`, a
plain `reg.bump_pair(k, k)`), equal keys are a case the code has, so the story says so with that call
and that the one-call `HashMap::get_disjoint_mut` would panic there; the way out that leads (one at
a time) says the same in its pair line. With no such call, the story says nothing of one. Real cargo
on two crates written here."""

from __future__ import annotations

import pytest

from tests.explain.crates import explain_lib, option_names, story

STOCK = """use std::collections::HashMap;

pub struct Stock {
    units: HashMap<String, u32>,
}

impl Stock {
    pub fn move_units(&mut self, src: &str, dst: &str, n: u32) -> bool {
        let a = self.units.get_mut(src);
        let b = self.units.get_mut(dst);
        match (a, b) {
            (Some(a), Some(b)) if *a >= n => {
                *a -= n;
                *b += n;
                true
            }
            _ => false,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn to_itself() {
        let mut s = Stock { units: HashMap::from([("bolts".to_string(), 5)]) };
        assert!(s.move_units("bolts", "bolts", 3));
    }
}
"""

REGISTER = """use std::collections::HashMap;

pub struct Register {
    counts: HashMap<u8, u64>,
}

impl Register {
    pub fn bump_pair(&mut self, x: u8, y: u8) {
        let p = self.counts.get_mut(&x);
        let q = self.counts.get_mut(&y);
        if let (Some(p), Some(q)) = (p, q) {
            *p += 1;
            *q += 1;
        }
    }
}

pub fn bump_twice(reg: &mut Register, k: u8, other: u8) {
    reg.bump_pair(k, KEY);
}

const KEY: u8 = 7;
"""


@pytest.mark.parametrize(
    ("name", "src", "line", "call"),
    [
        (
            "stock",
            STOCK,
            "let b = self.units.get_mut(dst);",
            'the call at src/lib.rs:29, s.move_units("bolts", "bolts", 3),',
        ),
        (
            "register",
            REGISTER.replace("k, KEY", "k, k"),
            "let q = self.counts.get_mut(&y);",
            "the call at src/lib.rs:19, reg.bump_pair(k, k),",
        ),
    ],
)
def test_a_call_passing_one_key_twice_is_named_with_the_panic(tmp_path, name, src, line, call) -> None:
    e = story(explain_lib(tmp_path, name, src), src, line, "E0499")
    assert call in e.summary and "get_disjoint_mut` would panic" in e.summary, e.summary
    assert option_names(e)[0] == "one at a time"
    lead = e.options[0]
    assert "`std::collections::HashMap::get_disjoint_mut` panics on them" in lead.how


def test_no_call_with_equal_keys_no_such_words(tmp_path) -> None:
    src = REGISTER.replace("k, KEY", "k, other")
    e = story(explain_lib(tmp_path, "register_apart", src), src, "let q = self.counts.get_mut(&y);", "E0499")
    assert "passes one key twice" not in e.summary, e.summary
    assert option_names(e)[0] == "one at a time"  # nothing compares the keys: they may still be equal
