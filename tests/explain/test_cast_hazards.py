"""Every fix that narrows with `as` says what the cast cuts (#14, review S on s20).

A binary operator's E0277 ("cannot subtract `u64` from `u16`") names both operands' types, and a
fix finished in steps (`(now - start as u32).into()`) keeps the cast its first step wrote: the
hazard was only read from rustc's "found" type, so these fixes were shown without it.

Real cargo on a library crate written here (another program than the reviewer's crate).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from engine.explain.casts import inserted_casts, kept_cast_cost
from engine.explain.validation import validate
from tests.explain.crates import explain_lib

BUCKETS = """/// The bucket of `table` a hash falls in, and the one after it.
pub fn buckets(hash: u32, table: &[u8]) -> (u32, u32) {
    let n = table.len();
    let first = hash % n;
    let next = (hash + 1) % n;
    (first, next)
}

#[cfg(test)]
mod tests {
    #[test]
    fn wraps() {
        assert_eq!(super::buckets(11, &[0; 4]), (3, 0));
    }
}
"""


@pytest.mark.slow
def test_a_fix_that_narrows_an_operand_says_it_cuts(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setenv("RUSTA_CACHE_DIR", str(tmp_path / "cache"))
    stories = explain_lib(tmp_path, "buckets", BUCKETS)
    run = validate(list(stories), tmp_path / "buckets")
    fixes = [f for e in run.explanations for f in e.fixes]
    narrowing = [f for f in fixes if ("n", "u32") in inserted_casts(f.patch)]
    # at the use (rustc's found type) and where `n` is bound (the operator's E0277 types it)
    assert any("let n = n as u32;" in ln for f in narrowing for ln in f.shows), [f.patch for f in fixes]
    for f in narrowing:
        assert "keeps the low 32 bits: a `usize` above `u32::MAX` changes, and may turn zero" in f.cost, (
            f.patch,
            f.cost,
        )
    widening = [f for f in fixes if ("hash", "usize") in inserted_casts(f.patch)]
    for f in widening:  # `u32 as usize` loses nothing on a 64-bit target: no hazard is made up
        assert "low bits" not in f.cost, (f.patch, f.cost)


def test_a_later_step_keeps_the_first_steps_cast_hazard() -> None:
    first = "--- a/x\n+++ b/x\n@@ -1 +1 @@\n-    a - b\n+    a - b as u8\n"
    final = "--- a/x\n+++ b/x\n@@ -1 +1 @@\n-    a - b\n+    (a - b as u8).into()\n"
    cost = "keeps the low 8 bits: a `u32` above `u8::MAX` changes, and may turn zero"
    assert kept_cast_cost(cost, first, final) == cost
    undone = "--- a/x\n+++ b/x\n@@ -1 +1 @@\n-    a - b\n+    u32::from(a) - b\n"
    assert kept_cast_cost(cost, first, undone) == ""  # the cast is gone: so is its hazard
