"""clippy::map_entry (`contains_key`, then `insert` or a second look-up of the same key) becomes one
`entry(..)` call built from the syntax tree, with the present branch's look-ups as the entry's value;
not offered when that branch uses the map some other way. Real cargo clippy on crates written here;
the rewrite is applied, clippy no longer warns, and the crate's own test passes."""

from __future__ import annotations

from pathlib import Path

import pytest

from engine.edits import apply_edits
from engine.repair.map_entry_lint import LINT, entry_for_contains_insert
from tests.explain.crates import cargo_test, write_lib
from toolbelt.cargo_run import run_check

# the present branch first, a deref'd look-up, a BTreeMap: a tally of scores per player
TALLY = """use std::collections::BTreeMap;

pub fn tally(rounds: &[(&str, u32)]) -> BTreeMap<String, u32> {
    let mut totals = BTreeMap::new();
    for (who, pts) in rounds {
        let name = who.to_uppercase();
        if totals.contains_key(&name) {
            *totals.get_mut(&name).unwrap() += *pts;
        } else {
            totals.insert(name, *pts);
        }
    }
    totals
}

#[cfg(test)]
mod tests {
    #[test]
    fn adds_up() {
        let t = super::tally(&[("ann", 3), ("bo", 1), ("ann", 4)]);
        assert_eq!(t["ANN"], 7);
        assert_eq!(t["BO"], 1);
    }
}
"""

# the present branch reads the map's size: the closure could not, so no rewrite is offered
SIZED = TALLY.replace(
    "*totals.get_mut(&name).unwrap() += *pts;",
    "let n = totals.len() as u32;\n            *totals.get_mut(&name).unwrap() += n;",
)


def _lints(root: Path, tmp: Path):
    report = run_check(root, tool="clippy", target_dir=tmp / "target")
    return [d for d in report.diagnostics if d.code_str == LINT]


@pytest.mark.slow
def test_contains_then_insert_becomes_one_entry_call(tmp_path: Path) -> None:
    root = write_lib(tmp_path, "tally", TALLY)
    lints = _lints(root, tmp_path)
    assert lints, "clippy no longer flags the fixture"
    read = lambda rel: (root / rel).read_bytes()  # noqa: E731
    cands = entry_for_contains_insert(lints[0], read)
    assert [c.family for c in cands] == ["map-entry"], cands
    lib = root / "src" / "lib.rs"
    lib.write_bytes(apply_edits(TALLY.encode(), list(cands[0].edits)))
    assert "totals.entry(name).and_modify(|e| *e += *pts).or_insert(*pts);" in lib.read_text()
    assert not _lints(root, tmp_path)
    tests = cargo_test(root)
    assert tests.returncode == 0, tests.stderr


@pytest.mark.slow
def test_a_branch_that_uses_the_map_otherwise_gets_no_rewrite(tmp_path: Path) -> None:
    root = write_lib(tmp_path, "sized", SIZED)
    lints = _lints(root, tmp_path)
    assert lints, "clippy no longer flags the fixture"
    read = lambda rel: (root / rel).read_bytes()  # noqa: E731
    assert not [c for d in lints for c in entry_for_contains_insert(d, read)]
