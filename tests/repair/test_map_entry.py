"""A map's get-then-insert that the borrow checker rejects (E0502/E0499): the entry API in one
lookup, or `contains_key` then a second lookup; not offered for a map whose type is not a
HashMap/BTreeMap. Real cargo on crates written here."""

from __future__ import annotations

from pathlib import Path

import pytest

from engine.edits import apply_edits
from engine.repair.map_entry import entry_for_get_insert
from tests.explain.crates import cargo_test, errors_of, write_lib
from tests.explain.test_fix_chains import MEMO as UNIMPORTED_MEMO

# the chain tests' memo, with its import: the borrow checker is all that rejects it
MEMO = "use std::collections::HashMap;\n\n" + UNIMPORTED_MEMO

COUNTS = """use std::collections::BTreeMap;

pub fn slot<'a>(m: &'a mut BTreeMap<String, Vec<u8>>, name: &String) -> &'a mut Vec<u8> {
    if let Some(v) = m.get_mut(name) {
        return v;
    }
    m.insert(name.clone(), Vec::new());
    m.get_mut(name).unwrap()
}
"""

# a map of our own with the same method names: the entry API is not there to offer
OWN = """pub struct Pairs {
    items: Vec<(u32, String)>,
}

impl Pairs {
    pub fn get(&self, k: &u32) -> Option<&String> {
        self.items.iter().find(|p| p.0 == *k).map(|p| &p.1)
    }
    pub fn insert(&mut self, k: u32, v: String) {
        self.items.push((k, v));
    }
}

pub fn named(m: &mut Pairs, k: u32) -> &String {
    if let Some(v) = m.get(&k) {
        return v;
    }
    m.insert(k, k.to_string());
    m.get(&k).unwrap()
}
"""


@pytest.mark.slow
@pytest.mark.parametrize(("name", "src"), [("memo", MEMO), ("counts", COUNTS)])
def test_the_get_then_insert_is_rewritten_and_compiles(tmp_path: Path, name: str, src: str) -> None:
    root = write_lib(tmp_path, name, src)
    errs = errors_of(root, tmp_path)
    assert errs and errs[0].code_str in ("E0502", "E0499"), errs
    lib = root / "src" / "lib.rs"
    read = lambda rel: (root / rel).read_bytes()  # noqa: E731
    cands = entry_for_get_insert(errs[0], read)
    assert [c.family for c in cands] == ["map-entry", "map-two-lookups"], cands
    compiled = []
    for c in cands:
        lib.write_text(src)
        lib.write_bytes(apply_edits(src.encode(), list(c.edits)))
        if not errors_of(root, tmp_path):
            compiled.append(c.family)
    assert "map-two-lookups" in compiled, compiled
    if name == "memo":  # a Copy key: one lookup is enough
        assert "map-entry" in compiled
        lib.write_bytes(apply_edits(src.encode(), list(cands[0].edits)))
        assert "self.seen.entry(k).or_insert_with(|| k.to_string())" in lib.read_text()


@pytest.mark.slow
def test_not_offered_for_a_map_of_ones_own(tmp_path: Path) -> None:
    root = write_lib(tmp_path, "own", OWN)
    errs = errors_of(root, tmp_path)
    assert errs
    read = lambda rel: (root / rel).read_bytes()  # noqa: E731
    assert not [c for d in errs for c in entry_for_get_insert(d, read)]


# the hit path counts before it returns: the entry API keeps that work in its `Occupied` arm
INTERNED = """use std::collections::BTreeMap;

pub struct Names {
    ids: BTreeMap<String, usize>,
    reused: u32,
}

impl Names {
    pub fn id(&mut self, name: &str) -> &usize {
        let key = name.to_lowercase();
        if let Some(id) = self.ids.get(&key) {
            self.reused += 1;
            return id;
        }
        self.ids.insert(key.clone(), key.len() * 10);
        self.ids.get(&key).unwrap()
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn reuses() {
        let mut n = super::Names { ids: Default::default(), reused: 0 };
        assert_eq!(*n.id("Ab"), 20);
        assert_eq!(*n.id("c"), 10);
        assert_eq!(*n.id("aB"), 20);
        assert_eq!(n.reused, 1);
    }
}
"""


@pytest.mark.slow
def test_work_on_the_hit_path_stays_in_the_occupied_arm(tmp_path: Path) -> None:

    root = write_lib(tmp_path, "interned", INTERNED)
    errs = errors_of(root, tmp_path)
    assert errs and errs[0].code_str in ("E0502", "E0499"), errs
    read = lambda rel: (root / rel).read_bytes()  # noqa: E731
    cands = entry_for_get_insert(errs[0], read)
    assert [c.family for c in cands] == ["map-entry", "map-two-lookups"], cands
    lib = root / "src" / "lib.rs"
    passed = []
    for c in cands:
        lib.write_bytes(apply_edits(INTERNED.encode(), list(c.edits)))
        assert "self.reused += 1;" in lib.read_text()
        if errors_of(root, tmp_path):
            continue
        tests = cargo_test(root)
        passed += [c.family] * (tests.returncode == 0)
    assert passed == ["map-entry", "map-two-lookups"], passed
