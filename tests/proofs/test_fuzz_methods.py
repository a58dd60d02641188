"""Differential fuzzing of methods and struct-typed inputs on real crates with real cargo: a method
refactor that keeps behaviour, one that changes an edge case (several distinct inputs, minimised),
and what Rusta cannot build, named with the reason."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from engine.patching.types import Patch
from engine.proofs.fuzz import fuzz_patch
from tests.proofs.crates import diff_of, make_crate

pytestmark = pytest.mark.slow

LIB = """\
pub mod secret;
pub use secret::Secret;

#[derive(Debug, Clone)]
pub struct Account {
    pub balance: i64,
    limit: u32,
    owner: String,
}

#[derive(Debug)]
pub struct Rect(pub u16, pub u16);

pub struct Tally {
    n: u8,
}

impl Account {
    pub fn pay(&mut self, amount: i64) -> bool {
        if amount <= 0 {
            return false;
        }
        if self.balance.saturating_add(self.limit as i64) >= amount {
            self.balance -= amount;
            true
        } else {
            false
        }
    }

    pub fn label(&self) -> String {
        format!("{}:{}", self.owner, self.balance)
    }
}

impl Tally {
    pub fn bump(&mut self, by: u8) -> u8 {
        self.n = self.n.wrapping_add(by);
        self.n
    }
}

pub fn area(r: &Rect, pad: Option<u8>, scale: (u8, bool)) -> u64 {
    let p = pad.unwrap_or(0) as u64;
    let a = (r.0 as u64 + p) * (r.1 as u64 + p);
    if scale.1 { a * scale.0 as u64 } else { a }
}

pub fn unlock(s: &Secret, guess: u8) -> bool {
    s.open(guess)
}
"""

SECRET = """\
#[derive(Debug)]
pub struct Secret {
    key: u8,
}

pub struct Hidden {
    inner: u8,
}

impl Secret {
    pub fn new(key: u8) -> Self {
        Secret { key }
    }

    pub fn open(&self, guess: u8) -> bool {
        self.key == guess
    }
}

impl Hidden {
    pub fn peek(&self) -> u8 {
        self.inner
    }
}
"""

KEEPS = (
    LIB.replace(
        """        if amount <= 0 {
            return false;
        }
        if self.balance.saturating_add(self.limit as i64) >= amount {
            self.balance -= amount;
            true
        } else {
            false
        }""",
        """        let room = self.balance.saturating_add(i64::from(self.limit));
        let ok = amount > 0 && amount <= room;
        if ok {
            self.balance -= amount;
        }
        ok""",
    )
    .replace(
        'format!("{}:{}", self.owner, self.balance)',
        '[self.owner.clone(), self.balance.to_string()].join(":")',
    )
    .replace("if scale.1 { a * scale.0 as u64 } else { a }", "a * if scale.1 { scale.0 as u64 } else { 1 }")
)
# an edge-case change: zero now pays, and paying exactly up to the limit no longer does
CHANGES = LIB.replace("if amount <= 0 {", "if amount < 0 {").replace(">= amount {", "> amount {")


@pytest.fixture(scope="module")
def crate(tmp_path_factory: pytest.TempPathFactory) -> Path:
    os.environ.setdefault("RUSTA_CACHE_DIR", str(tmp_path_factory.mktemp("cache")))
    return make_crate(
        tmp_path_factory.mktemp("methods") / "crate",
        LIB,
        name="proofs_methods",
        extra={"src/secret.rs": SECRET},
    )


def by_name(proofs) -> dict:
    return {
        p.detail.split(": ")[0] if not p.detail.startswith("fuzz: not run for") else p.detail: p
        for p in proofs
    }


def test_a_method_refactor_that_keeps_behaviour_passes(crate: Path) -> None:
    proofs = by_name(
        fuzz_patch(crate, Patch.new(diff_of(crate, KEEPS), "refactor"), max_inputs=3000, time_s=10)
    )
    assert set(proofs) == {"fuzz Account::pay", "fuzz Account::label", "fuzz area"}, list(proofs)
    for p in proofs.values():
        assert p.status == "passed" and p.count == 3000 and p.passed == 3000, p.detail


def test_an_edge_case_change_in_a_method_is_found_with_distinct_minimised_inputs(crate: Path) -> None:
    proofs = by_name(
        fuzz_patch(crate, Patch.new(diff_of(crate, CHANGES), "refactor"), max_inputs=3000, time_s=10)
    )
    pay = proofs["fuzz Account::pay"]
    assert pay.status == "failed" and pay.count == 3000 and 0 < pay.count - pay.passed < 3000, pay.detail
    assert f"on {pay.count - pay.passed} of 3000 inputs" in pay.detail
    assert 2 <= len(pay.cases) <= 3 and len({c.call for c in pay.cases}) == len(pay.cases), pay.cases
    for c in pay.cases:
        assert c.call.startswith("Account { balance: ") and ".pay(" in c.call, c
        assert c.before != c.after and "self after: Account {" in c.before, c
    # the zero amount is one of them, shrunk to the smallest account
    zero = [c for c in pay.cases if c.call.endswith(".pay(0)")]
    assert zero and zero[0].before.startswith("false;") and zero[0].after.startswith("true;"), pay.cases
    # and paying exactly what the account holds: a different kind of input, a different change
    exact = [c for c in pay.cases if not c.call.endswith(".pay(0)")]
    assert exact and exact[0].before.startswith("true;") and exact[0].after.startswith("false;"), pay.cases
    assert "(" + str(len(pay.cases)) + " distinct inputs, minimised)" in pay.detail


def test_struct_inputs_built_by_new_and_what_cannot_be_built_is_named(crate: Path) -> None:
    secret = SECRET.replace("self.key == guess", "self.key == guess || guess == 255").replace(
        "self.inner\n", "self.inner + 0\n"
    )
    lib = LIB.replace("s.open(guess)", "guess != 2 && s.open(guess)").replace(
        "self.n = self.n.wrapping_add(by);", "self.n = self.n.saturating_add(by);"
    )
    old = {"src/lib.rs": (crate / "src/lib.rs").read_bytes(), "src/secret.rs": SECRET.encode()}
    from engine.edits import unified_diff

    diff = unified_diff(old, {"src/lib.rs": lib.encode(), "src/secret.rs": secret.encode()})
    proofs = by_name(
        fuzz_patch(crate, Patch.new(diff, "change"), intent="change", max_inputs=2000, time_s=10)
    )
    unlock = proofs["fuzz unlock"]
    assert unlock.status == "evidence" and unlock.cases[0].call == "unlock(&Secret::new(2), 2)", unlock.cases
    assert proofs["fuzz Secret::open"].cases[0].call == "Secret { key: 0 }.open(255)"
    bump = proofs["fuzz Tally::bump"]
    assert "Tally has no Debug, so only the result is compared" in bump.detail, bump.detail
    assert bump.cases and bump.cases[0].before != bump.cases[0].after
    assert (
        "fuzz: not run for Hidden::peek: Rusta cannot build Hidden" not in proofs
    )  # same file: its fields are visible
    assert proofs["fuzz Hidden::peek"].status == "passed"


SHELF = """\
#[derive(Debug, Clone)]
pub struct Item {
    pub name: String,
    pub qty: u32,
}

pub fn total(items: &[Item]) -> u64 {
    items.iter().map(|i| i.qty as u64).sum()
}

pub struct Shelf {
    pub items: Vec<Item>,
}

impl Shelf {
    pub fn restock(&mut self, delivery: Vec<Item>) -> usize {
        let n = delivery.len();
        self.items.extend(delivery);
        n
    }
}
"""


def test_vectors_and_slices_of_the_crates_structs_are_generated(tmp_path: Path) -> None:
    """`&[Item]` and `Vec<Item>` (and a struct holding one) are built from generated items, shown as
    `vec![Item { .. }]`; before, Rusta said it could not generate them (seen on the demo's restock)."""
    os.environ.setdefault("RUSTA_CACHE_DIR", str(tmp_path / "cache"))
    crate = make_crate(tmp_path / "c", SHELF, name="shelf")
    fold = SHELF.replace(
        "items.iter().map(|i| i.qty as u64).sum()", "items.iter().fold(0, |s, i| s + i.qty as u64)"
    )
    kept = fuzz_patch(crate, Patch.new(diff_of(crate, fold), "fold"), time_s=2.0)
    assert [p.status for p in kept] == ["passed"] and kept[0].count > 100, kept
    wrong = SHELF.replace("        n\n", "        self.items.len()\n")
    (changed,) = fuzz_patch(crate, Patch.new(diff_of(crate, wrong), "count all"), time_s=2.0)
    assert changed.status == "failed", changed.detail
    assert changed.detail.startswith("fuzz Shelf::restock: the refactor changes behaviour"), changed.detail
    assert any("Shelf { items: vec![Item { name: " in c.call for c in changed.cases), changed.cases
