"""clippy::map_entry (`contains_key`, then `insert` or a second look-up of the same key) becomes one
`entry(..)` call built from the syntax tree, with the present branch's look-ups as the entry's value;
not offered when that branch uses the map some other way. Real cargo clippy on crates written here;
the rewrite is applied, clippy no longer warns, and the crate's own test passes."""

from __future__ import annotations

import shutil
import subprocess
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
    written = " ".join(lib.read_text().split())  # rustfmt lays the chain over lines
    assert "totals .entry(name) .and_modify(|e| *e += *pts) .or_insert(*pts);" in written
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


# the absent branch builds a `String` from the word (an allocation); the present one names the
# value with `let`: a tally of first spellings per lowercase key
SPELLINGS = """use std::collections::HashMap;

pub fn first_spellings(words: &[&str]) -> HashMap<String, (String, usize)> {
    let mut seen: HashMap<String, (String, usize)> = HashMap::new();
    for w in words {
        let key = w.to_lowercase();
        if !seen.contains_key(&key) {
            seen.insert(key, (w.to_string(), 1));
        } else {
            let entry = seen.get_mut(&key).unwrap();
            entry.1 += 1;
        }
    }
    seen
}

#[cfg(test)]
mod tests {
    #[test]
    fn keeps_the_first() {
        let m = super::first_spellings(&["Hi", "hi", "Yo"]);
        assert_eq!(m["hi"], ("Hi".to_string(), 2));
        assert_eq!(m["yo"], ("Yo".to_string(), 1));
    }
}
"""


@pytest.mark.slow
def test_an_allocating_value_is_built_only_for_a_vacant_entry_and_the_code_is_formatted(
    tmp_path: Path,
) -> None:
    root = write_lib(tmp_path, "spellings", SPELLINGS)
    lints = _lints(root, tmp_path)
    assert lints, "clippy no longer flags the fixture"
    read = lambda rel: (root / rel).read_bytes()  # noqa: E731
    cands = entry_for_contains_insert(lints[0], read)
    assert [c.family for c in cands] == ["map-entry"], cands
    lib = root / "src" / "lib.rs"
    lib.write_bytes(apply_edits(SPELLINGS.encode(), list(cands[0].edits)))
    text = lib.read_text()
    assert ".or_insert_with(|| (w.to_string(), 1))" in text, text  # not built for a present key
    assert ".and_modify(|entry| entry.1 += 1)" in text and "let entry = e;" not in text, text
    assert not _lints(root, tmp_path)
    assert cargo_test(root).returncode == 0
    if shutil.which("rustfmt"):  # the written lines are rustfmt's own
        check = subprocess.run(["rustfmt", "--check", "--edition", "2021", str(lib)], capture_output=True)
        assert check.returncode == 0, check.stdout.decode()


def test_how_the_value_goes_in_follows_what_building_it_costs() -> None:
    from engine.repair.map_entry_lint import _insert

    assert _insert("vec![no + 1]") == "or_insert_with(|| vec![no + 1])"  # allocates on every call
    assert _insert("String::with_capacity(8)") == "or_insert_with(|| String::with_capacity(8))"
    assert _insert("Vec::new()") == "or_default()" and _insert("vec![]") == "or_default()"
    assert _insert("*pts") == "or_insert(*pts)" and _insert("0") == "or_insert(0)"
