"""Before/after timing of a patch on real crates with real cargo: the mechanism, never absolute speed.

A deliberately ~10x slower version (40 rounds of work instead of 4, each behind `black_box`) must be
found slower with an interval well above 1; an equivalent rewrite must not be blocked; what cannot be
timed says why.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from engine.patching import api
from engine.patching.render import validation_lines
from engine.patching.types import BenchPolicy, Patch
from engine.proofs.bench import bench_patch
from rusta_tui.cli.apply import EXIT_RED
from tests.proofs.crates import diff_of, make_crate, run_rusta

pytestmark = pytest.mark.slow

LIB = """\
pub fn mix(x: u64) -> u64 {
    let mut h = x;
    for _ in 0..4 {
        h = std::hint::black_box(h.rotate_left(5) ^ 0x9E37);
    }
    h
}

pub fn twice(x: u32) -> u32 {
    x.wrapping_mul(2)
}

pub fn push_one(v: &mut Vec<u8>) {
    v.push(1)
}

#[cfg(test)]
mod tests {
    #[test]
    fn twice_doubles() { assert_eq!(super::twice(3), 6); }
}
"""
SLOWER = LIB.replace("0..4", "0..40")
SAME = LIB.replace("x.wrapping_mul(2)", "x.wrapping_add(x)")


@pytest.fixture(scope="module")
def crate(tmp_path_factory: pytest.TempPathFactory) -> Path:
    os.environ.setdefault("RUSTA_CACHE_DIR", str(tmp_path_factory.mktemp("cache")))
    return make_crate(tmp_path_factory.mktemp("bench") / "crate", LIB, name="proofs_bench")


def test_a_tenfold_slower_version_is_found_slower_and_blocked(crate: Path) -> None:
    (p,) = bench_patch(crate, Patch.new(diff_of(crate, SLOWER), "more rounds"))
    s = p.bench
    assert p.kind == "bench" and s is not None, p.detail
    # 10x by construction; the interval's low end must clear the A/A threshold, the median 3x (load)
    assert s.verdict == "slower" and s.low > 1 + s.noise and s.ratio > 3, p.detail
    assert 0.5 < s.control < 2, p.detail  # the A/A control: the same code against itself
    assert s.samples == 31 and s.inputs == 64 and s.reps >= 1
    assert p.status == "failed" and "not applied without consent" in p.detail
    assert p.detail.startswith("bench mix: slower, ") and "95% interval" in p.detail
    accepted = bench_patch(crate, Patch.new(diff_of(crate, SLOWER), "more rounds"), accept_slower=True)
    assert accepted[0].status == "evidence" and "accepted by the user" in accepted[0].detail


def test_an_equivalent_rewrite_is_timed_and_not_blocked(crate: Path) -> None:
    proofs = bench_patch(crate, Patch.new(diff_of(crate, SAME), "add instead of mul"))
    (p,) = proofs
    assert p.detail.startswith("bench twice: ") and p.bench is not None and p.bench.samples == 31
    assert p.status != "failed", p.detail  # the same machine code: no 20% slowdown to find


def test_what_cannot_be_timed_says_why(crate: Path) -> None:
    new = LIB.replace("v.push(1)", "v.push(2)")
    (p,) = bench_patch(crate, Patch.new(diff_of(crate, new), "push two"))
    assert (
        p.status == "skipped" and p.detail == "bench: not run: push_one: Rusta cannot generate &mut Vec<u8>."
    )
    panics = LIB.replace("x.wrapping_mul(2)", 'panic!("no")')
    (q,) = bench_patch(crate, Patch.new(diff_of(crate, panics), "panic"))
    assert q.status == "skipped" and "one side panics on every one of the" in q.detail, q.detail


def test_validate_with_a_bench_policy_turns_a_slow_patch_red_and_says_so(crate: Path) -> None:
    v = api.validate(crate, Patch.new(diff_of(crate, SLOWER), "more rounds"), bench=BenchPolicy())
    assert not v.green and v.reason.startswith("slower, ")
    assert [p.kind for p in v.proofs][-1] == "bench"
    assert any(line.startswith("  proof failed: bench mix: slower") for line in validation_lines(v))
    red = api.validate(
        crate, Patch.new(diff_of(crate, LIB.replace("(3), 6", "(3), 7")), "x"), bench=BenchPolicy()
    )
    assert not red.green and red.proofs[-1].detail == "bench: not run: the patch is already red."


def test_rusta_apply_bench_json_carries_the_timing_and_consent_lets_it_through(crate: Path) -> None:
    before = (crate / "src" / "lib.rs").read_bytes()
    (crate / ".." / "slow.diff").write_text(diff_of(crate, SLOWER))
    out = run_rusta(crate, "apply", "../slow.diff", "--explain", "more rounds", "--bench", "--yes", "--json")
    assert out.returncode == EXIT_RED, out.stderr
    assert (crate / "src" / "lib.rs").read_bytes() == before
    proofs = json.loads(out.stdout)["validation"]["proofs"]
    bench = next(p for p in proofs if p["kind"] == "bench")
    assert bench["status"] == "failed" and bench["bench"]["verdict"] == "slower"
    assert set(bench["bench"]) >= {"old_ns", "new_ns", "ratio", "low", "high", "samples", "noise"}
    ok = run_rusta(
        crate, "apply", "../slow.diff", "--explain", "more rounds", "--bench", "--accept-slower", "--yes"
    )
    assert ok.returncode == 0, ok.stderr
    assert "proof evidence: bench mix: slower" in ok.stdout
    assert (crate / "src" / "lib.rs").read_text() == SLOWER
