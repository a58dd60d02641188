"""Hot fns: marked by `rusta hot`, a patch that changes one is timed before and after without --bench
by `rusta review --diff` and `rusta apply` (real cargo, the real CLI); which changed fns a benchmark
covers, fn by fn."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from engine.patching.types import Patch
from engine.proofs import hot
from engine.proofs.bench_cover import coverage, coverage_proof
from engine.proofs.crate_benches import uncovered
from tests.proofs.crates import diff_of, make_crate, run_rusta

LIB = """\
pub fn spin(n: u32) -> u32 {
    let mut h = n;
    for _ in 0..1000 {
        h = h.rotate_left(3) ^ 7;
    }
    h
}

pub struct Meter {
    pub n: u32,
}

impl Meter {
    pub fn read(&self) -> u32 {
        self.n + 1
    }
}

pub fn outer(x: u32) -> u32 {
    inner(x) + 1
}

fn inner(x: u32) -> u32 {
    x * 2
}
"""
BENCH = 'fn main() {\n    println!("{}", hotc::outer(3));\n}\n'


def test_a_fn_is_named_by_line_or_by_name_and_an_unknown_or_doubled_name_is_refused(tmp_path: Path) -> None:
    crate = make_crate(tmp_path / "c", LIB, name="hotc", extra={"src/more.rs": "fn spin() {}\n"})
    assert hot.find(crate, "src/lib.rs:15") == hot.HotFn(path="src/lib.rs", name="Meter::read")
    assert hot.find(crate, "outer") == hot.HotFn(path="src/lib.rs", name="outer")
    with pytest.raises(hot.HotError, match="defined in src/lib.rs, src/more.rs"):
        hot.find(crate, "spin")
    with pytest.raises(hot.HotError, match="no fn holds line 9"):
        hot.find(crate, "src/lib.rs:9")
    with pytest.raises(hot.HotError, match="no fn named nope"):
        hot.find(crate, "nope")
    read = hot.find(crate, "Meter::read")
    assert hot.mark(crate, read) and not hot.mark(crate, read)
    patch = Patch.new(diff_of(crate, LIB.replace("self.n + 1", "self.n + 2")), "two")
    assert hot.touched(crate, patch) == [read]
    assert hot.unmark(crate, read) and not hot.unmark(crate, read)
    assert hot.touched(crate, patch) == []


def test_coverage_says_fn_by_fn_which_bench_reaches_it_and_which_none_does(tmp_path: Path) -> None:
    (tmp_path / "c" / "benches").mkdir(parents=True)
    crate = make_crate(tmp_path / "c", LIB, name="hotc", extra={"benches/b.rs": BENCH})
    both = Patch.new(diff_of(crate, LIB.replace("x * 2", "x << 1").replace("0..1000", "0..10")), "both")
    hot.mark(crate, hot.HotFn(path="src/lib.rs", name="spin"))
    by = {f.name: b for f, b in coverage(crate, both)}
    assert by == {"spin": "hot", "inner": "benches/b.rs"}  # inner through outer, which the bench calls
    proof = coverage_proof(crate, both)
    assert proof is not None and proof.passed == 2 and "inner (benches/b.rs reaches it)" in proof.detail
    assert uncovered(crate, both) == ""
    spin_only = Patch.new(diff_of(crate, LIB.replace("0..1000", "0..10")), "spin")
    assert (
        uncovered(crate, spin_only) == "no benchmark covers this code: no bench under benches/ reaches spin"
    )
    hot.unmark(crate, hot.HotFn(path="src/lib.rs", name="spin"))
    cold = coverage_proof(crate, spin_only)
    assert cold is not None and cold.status == "skipped" and "spin (no benchmark)" in cold.detail


@pytest.mark.slow
def test_review_and_apply_time_a_patch_to_a_hot_fn_without_bench_and_not_once_unmarked(
    tmp_path: Path,
) -> None:
    os.environ.setdefault("RUSTA_CACHE_DIR", str(tmp_path / "cache"))
    crate = make_crate(tmp_path / "c", LIB, name="hotc")
    (tmp_path / "p.diff").write_text(
        "Twenty times the rounds.\n\n" + diff_of(crate, LIB.replace("0..1000", "0..20000"))
    )
    marked = run_rusta(crate, "hot", "add", "src/lib.rs:3")
    assert marked.returncode == 0 and "spin (src/lib.rs) marked hot" in marked.stdout, marked.stderr
    assert run_rusta(crate, "hot", "list").stdout == "src/lib.rs: spin\n"
    review = run_rusta(crate, "review", "--no-clippy", "--no-fuzz", "--json", "--diff", "../p.diff")
    reviewed = json.loads(review.stdout)["diff"]["proofs"]
    assert any(p["kind"] == "bench" and p["detail"].startswith("bench spin:") for p in reviewed), reviewed
    out = run_rusta(crate, "apply", "--yes", "--json", "../p.diff")
    assert "The patch changes spin (src/lib.rs), marked hot: it is timed as --bench would." in out.stderr
    proofs = json.loads(out.stdout)["validation"]["proofs"]
    timed = [p for p in proofs if p["kind"] == "bench" and p["detail"].startswith("bench spin:")]
    assert len(timed) == 1 and timed[0]["bench"] is not None, (
        proofs
    )  # slower or not: load decides the verdict
    assert any(
        p["kind"] == "bench_coverage" and p["detail"].endswith("spin (hot: Rusta times it).") for p in proofs
    )
    assert run_rusta(crate, "hot", "remove", "spin").returncode == 0
    (crate / "src" / "lib.rs").write_text(LIB)  # as it was, whether or not the timed patch landed
    cold = run_rusta(crate, "apply", "--yes", "--json", "../p.diff")
    assert cold.returncode == 0, cold.stderr
    proofs = json.loads(cold.stdout)["validation"]["proofs"]
    (bench,) = [p["detail"] for p in proofs if p["kind"] == "bench"]
    (cover,) = [p["detail"] for p in proofs if p["kind"] == "bench_coverage"]
    assert bench.startswith("bench: not run: not asked for") and "spin (no benchmark)" in cover
    assert "0..20000" in (crate / "src" / "lib.rs").read_text()


@pytest.mark.slow
def test_rusta_fix_says_why_it_did_not_time_a_fix_and_times_one_to_a_hot_fn(tmp_path: Path) -> None:
    os.environ.setdefault("RUSTA_CACHE_DIR", str(tmp_path / "cache"))
    broken = "pub fn widen(n: u32) -> u64 {\n    let x = n.wrapping_mul(3);\n    x\n}\n"
    warm = make_crate(tmp_path / "warm", broken, name="warm")
    assert run_rusta(warm, "hot", "add", "widen").returncode == 0
    # threshold 0: the proofs are under test, not the Confidence gate (this fix rates about 40%)
    hot_out = run_rusta(warm, "fix", "--yes", "--min-confidence", "0")
    assert "The patch changes widen (src/lib.rs), marked hot: it is timed as --bench would." in hot_out.stdout
    assert "proof skipped: bench widen: not run: the old version of widen does not compile" in hot_out.stdout
    plain = run_rusta(
        make_crate(tmp_path / "plain", broken, name="plain"), "fix", "--yes", "--min-confidence", "0"
    )
    assert "proof skipped: bench: not run: not asked for" in plain.stdout
    assert (
        "bench coverage: 0 of 1 changed fn(s) covered by a benchmark: widen (no benchmark)." in plain.stdout
    )
