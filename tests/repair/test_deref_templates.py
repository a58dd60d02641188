"""Deref and borrow-kind mistakes seen in real crates, repaired with real cargo on a fixture crate."""

from __future__ import annotations

from engine.repair.search import repair
from toolbelt.cargo_run import run_test


def test_pointer_derefs_closure_bound_mutability_and_owned_clone(fixture_crate):
    root = fixture_crate("repair_deref")
    result = repair(root, budget=12)
    assert result.status == "fixed", result.message
    families = {t.candidate.family for t in result.steps}
    assert {"deref", "deref-at-binding", "ref-mut-bound", "clone"} <= families, families
    text = dict(result.files)["src/lib.rs"].decode()
    assert "unsafe { &mut *self.data.get() }" in text
    assert "let byte = unsafe { *ptr };" in text
    assert "impl FnOnce(&mut fmt::Formatter)" in text
    assert "entries(self.clone())" in text
    assert result.steps[-1].verdict == "apply-safe"
    for rel, data in result.files:
        (root / rel).write_bytes(data)
    assert run_test(root).status == "passed"
