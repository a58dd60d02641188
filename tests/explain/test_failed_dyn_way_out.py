"""A way out in words whose checked patch failed says so (#14, review S on s19).

E0038's "take a trait object argument" was printed as a way out after Rusta's own patch for it
(`&dyn IntoIterator<Item = u32>`) failed with E0191: the failed fix's kind (a type parameter made
`dyn`) is now matched to the way out, as a failed borrow is to "borrow instead of moving".

Real cargo on a library crate written here (another program than the reviewer's crate).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from engine.explain.validation import validate
from modes.verdicts import fix_kinds, study_verdict_lines
from tests.explain.crates import explain_lib

STORES = """pub trait Store {
    fn put(&mut self, key: u32);

    fn put_all<K: IntoIterator<Item = u32>>(&mut self, keys: K) {
        for k in keys {
            self.put(k);
        }
    }
}

pub struct Keys(pub Vec<u32>);

impl Store for Keys {
    fn put(&mut self, key: u32) {
        self.0.push(key);
    }
}

pub fn stamp(stores: &mut [Box<dyn Store>]) {
    for s in stores.iter_mut() {
        s.put(1);
    }
}
"""


@pytest.mark.slow
def test_a_failed_trait_object_patch_disproves_its_way_out(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setenv("RUSTA_CACHE_DIR", str(tmp_path / "cache"))
    stories = explain_lib(tmp_path, "stores", STORES)
    run = validate(list(stories), tmp_path / "stores")
    i = next(i for i, e in enumerate(run.explanations) if e.code == "E0038")
    e, failed = run.explanations[i], run.failed[i]
    assert any(o.name == "take a trait object argument" for o in e.options), e.options
    made_dyn = [f for f in failed if "dyn" in fix_kinds(f)]
    assert made_dyn, [(f.name, f.fails_because) for f in failed]
    said = [ln.text for ln in study_verdict_lines(e, failed)]
    assert any(
        t.startswith("Way out") and "take a trait object argument" in t and "E0191" in t for t in said
    ), said
