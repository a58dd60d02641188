"""E0382 after a partial move: the words name the place rustc's note types, and no copy is blamed
on a borrow that never compiled (#14, review P on p12).

- "`order` has type `String`" named the binding with its field's type: the sentence takes the place
  from rustc's own "`order.sku` has type `String`" note.
- "The checked borrow fix still copies (`clone`)" was said when `&order.sku` failed and the only
  fixes were clones: a fix whose final patch holds no borrow is not a borrow that copies.

Real cargo on a library crate written here (another program than the reviewer's crate).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from engine.explain.patchwords import STILL_COPIES
from engine.explain.validation import validate
from modes.verdicts import study_verdict_lines
from tests.explain.crates import explain_lib, story

pytestmark = pytest.mark.slow

LEDGER = """pub struct Order {
    pub sku: String,
    pub qty: u32,
}

pub struct Ledger {
    skus: Vec<String>,
    orders: Vec<Order>,
}

impl Ledger {
    pub fn record(&mut self, order: Order) {
        self.skus.push(order.sku);
        self.orders.push(order);
    }
}
"""


def test_partial_move_names_the_field_and_blames_no_borrow(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setenv("RUSTA_CACHE_DIR", str(tmp_path / "cache"))
    stories = explain_lib(tmp_path, "ledger", LEDGER)
    e0 = story(stories, LEDGER, "self.orders.push(order)", "E0382")
    assert "`order.sku` has type `String`" in e0.why, e0.why
    assert "`order` has type `String`" not in e0.why, e0.why
    run = validate(list(stories), tmp_path / "ledger")
    i = stories.index(e0)
    e, failed = run.explanations[i], run.failed[i]
    compiled = [f for f in e.fixes if f.validated == "compiles"]
    assert compiled and all(".clone()" in f.patch for f in compiled), [f.patch for f in e.fixes]
    said = " ".join(ln.text for ln in study_verdict_lines(e, failed))
    assert STILL_COPIES not in said, said
    assert not any(STILL_COPIES in o.tradeoff for o in e.options), [o.tradeoff for o in e.options]
    # every fix that compiles clones: the borrow way out's "No allocation" is backed by no patch
    assert not any("No allocation" in o.tradeoff for o in e.options if "borrow" in o.name), e.options
