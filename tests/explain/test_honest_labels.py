"""What a fix's label claims is what validation showed (#14): a fix that leaves a sibling error is
never "compiles"; a `todo!()` hole the crate's own tests run gets no ✓; a ✓ on code no test runs
says so; the two counts of a run ("Checking N fixes", "N fixes checked with M cargo checks") agree.
Real `rusta explain` on crates written here."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.cli_runner import rusta
from tests.explain.crates import write_lib

pytestmark = pytest.mark.slow

# two matches that each forget one variant (E0004 twice); a test runs `label`, none runs `cost`
TWO_HOLES = """\
#[derive(Clone, Copy)]
pub enum Coin {
    Penny,
    Dime,
    Quarter,
}

pub fn label(c: Coin) -> &'static str {
    match c {
        Coin::Penny => "penny",
        Coin::Dime => "dime",
    }
}

pub fn cost(c: Coin) -> u32 {
    match c {
        Coin::Penny => 1,
        Coin::Quarter => 25,
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn names() {
        assert_eq!(super::label(super::Coin::Dime), "dime");
    }
}
"""

# a missing `.len()`-style conversion (E0308) in a crate with no tests at all
NO_TESTS = """\
pub fn total(parts: &[u32]) -> u64 {
    let mut sum: u64 = 0;
    for p in parts {
        sum += *p;
    }
    sum
}
"""


def _fix_lines(out: str) -> list[str]:
    return [ln for ln in out.splitlines() if ln.startswith("#") and " Fix" in ln]


def test_sibling_errors_and_todo_holes_the_tests_run_are_said(tmp_path: Path) -> None:
    root = write_lib(tmp_path, "coins", TWO_HOLES)
    r = rusta("explain", str(root), "--no-clippy", "--no-log")
    assert r.returncode == 0, r.stderr
    fixes = _fix_lines(r.stdout)
    assert len(fixes) == 2, r.stdout
    label = next(f for f in fixes if "Coin::Quarter" in f and "todo!()" in f)
    cost = next(f for f in fixes if "Coin::Dime" in f and "todo!()" in f)
    for f in (label, cost):  # alone, each leaves the other E0004: never plain "compiles"
        assert "fixes this; 1 other error remains, and its todo!() panics" in f, f
    # the crate's test runs `label`: its hole gets no ✓ and the label says why
    assert "Fix ✓" not in label and "the crate's tests run `label` (from names)" in label, label
    assert "Fix ✓" in cost and "tests run" not in cost, cost
    assert "Together, the first fixes of #1 and #2 compile; the todo!() they write panics" in r.stdout, (
        r.stdout
    )
    announced = next(ln for ln in r.stdout.splitlines() if ln.startswith("Checking "))
    assert announced.startswith("Checking 2 fixes"), announced
    assert "rusta: 2 fixes checked in " in r.stderr, r.stderr


def test_a_tick_on_code_no_test_runs_says_so(tmp_path: Path) -> None:
    root = write_lib(tmp_path, "sums", NO_TESTS)
    r = rusta("explain", str(root), "--no-clippy", "--no-log")
    assert r.returncode == 0, r.stderr
    # no test anywhere: the ✓ means it compiles (explain --help), and the line says there are no tests
    ticked = [f for f in _fix_lines(r.stdout) if "Fix ✓" in f]
    assert ticked and all("compiles; the crate has no tests" in f for f in ticked), r.stdout
    assert not any("tests pass" in f for f in ticked), r.stdout
    lib = root / "src" / "lib.rs"  # a test now, but of another fn
    lib.write_text(
        NO_TESTS
        + "\npub fn twice(x: u32) -> u32 {\n    x * 2\n}\n\n#[test]\nfn doubles() {\n    assert_eq!(twice(2), 4);\n}\n"
    )
    r = rusta("explain", str(root), "--no-clippy", "--no-log")
    ticked = [f for f in _fix_lines(r.stdout) if "Fix ✓" in f]
    assert ticked and all("no test runs `total`" in f for f in ticked), r.stdout
    lib.write_text(
        lib.read_text().replace("assert_eq!(twice(2), 4);", "assert_eq!(twice(2), 4);\n    total(&[1]);")
    )
    r = rusta("explain", str(root), "--no-clippy", "--no-log")
    ticked = [f for f in _fix_lines(r.stdout) if "Fix ✓" in f]
    assert ticked and not any("no test" in f or "no tests" in f for f in ticked), r.stdout


def test_json_carries_the_reach_and_the_tick(tmp_path: Path) -> None:
    import json

    root = write_lib(tmp_path, "coins", TWO_HOLES)
    r = rusta("explain", str(root), "--no-clippy", "--no-log", "--json")
    assert r.returncode == 0, r.stderr
    stories = [json.loads(ln) for ln in r.stdout.splitlines() if ln.strip()]
    reached = [o for s in stories for o in s.get("options", []) if o.get("tests") == "reached"]
    # each hole leaves the other E0004: the crate builds with neither alone, so never "compiles"
    assert reached and all(o["ticked"] is False and o["validated"] == "fixes-this" for o in reached), r.stdout
    unreached = [o for s in stories for o in s.get("options", []) if o.get("tests") == "unreached"]
    assert unreached and all(o["ticked"] is True for o in unreached), r.stdout
