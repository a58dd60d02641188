"""`--json`: rustc's applicability stays with rustc's own edits. A patch Rusta wrote or extended
(rustc's `tx.clone()` plus the `drop(tx)` that lets `rx.iter()` end) carries `applicability: null`
and keeps the suggestion's word apart as `rustc_applicability` (#14, review L l15).

Real cargo on a library crate written here: a `Sender` moved into a thread spawned in a loop (E0382),
whose receiver is drained with `rx.iter()`; the run bound is lowered so rustc's clone alone, which
hangs, costs seconds.
"""

from __future__ import annotations

import pytest

from engine.explain import testing
from engine.explain.jsonview import to_dict
from engine.explain.validation import validate
from tests.explain.crates import explain_lib

pytestmark = pytest.mark.slow

TALLY = """use std::sync::mpsc;
use std::thread;

/// Squares of each batch's sum, one thread per batch.
pub fn tally(batches: Vec<Vec<u64>>) -> Vec<u64> {
    let (tx, rx) = mpsc::channel();
    for batch in batches {
        thread::spawn(move || {
            let s: u64 = batch.iter().sum();
            tx.send(s * s).unwrap();
        });
    }
    let mut got: Vec<u64> = rx.iter().collect();
    got.sort();
    got
}

#[cfg(test)]
mod tests {
    #[test]
    fn squares() {
        assert_eq!(super::tally(vec![vec![1, 2], vec![3]]), vec![9, 9]);
    }
}
"""


def test_a_patch_rusta_extended_carries_no_rustc_applicability(tmp_path, monkeypatch):
    monkeypatch.setattr(testing, "TEST_TIMEOUT_S", 4.0)
    monkeypatch.setenv("RUSTA_CACHE_DIR", str(tmp_path / "cache"))
    stories = [e for e in explain_lib(tmp_path, "tally", TALLY) if e.code == "E0382"]
    assert stories, "rustc did not report E0382"
    run = validate(stories, tmp_path / "tally")
    d = to_dict(run.explanations[0])
    fixes = [o for o in d["options"] if o.get("patch")]
    assert fixes, d["options"]
    for o in fixes:
        if o["source"] == "template":
            assert o["applicability"] is None, (o["shows"], o["applicability"])
        else:
            assert o["applicability"] == o["rustc_applicability"] is not None, o
    extended = [o for o in fixes if o["source"] == "template" and any("drop(tx)" in s for s in o["shows"])]
    assert extended and extended[0]["rustc_applicability"] == "MachineApplicable", [
        (o["shows"], o["source"], o["rustc_applicability"]) for o in fixes
    ]
    if d["patch"] is not None and d["patch"]["source"] == "template":
        assert d["patch"]["applicability"] is None, d["patch"]
