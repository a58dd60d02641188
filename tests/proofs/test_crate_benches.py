"""The crate's own benches/ with `harness = false`, timed whole before and after a patch (real cargo):
a tenfold slower library fn makes the plain-main target slower and red under the allowance; a target
under libtest or criterion is named as not run, in one sentence."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from engine.patching.types import Patch
from engine.proofs.crate_benches import crate_bench_proofs, plain_benches
from tests.proofs.crates import diff_of, make_crate

pytestmark = pytest.mark.slow

LIB = """\
pub fn stir(seed: u32) -> u32 {
    let mut h = seed;
    for _ in 0..300_000 {
        h = std::hint::black_box(h.rotate_right(5).wrapping_add(0x2545));
    }
    h
}
"""
MANIFEST_EXTRA = """
[[bench]]
name = "stir_main"
harness = false

[[bench]]
name = "stir_lib"
"""
MAIN = 'fn main() {\n    let mut x = 0;\n    for i in 0..10 { x ^= proofs_benches::stir(i); }\n    println!("{x}");\n}\n'
LIBTEST = "#![feature(test)]\n"  # never built: a harness = true target is not run


def test_a_plain_main_bench_is_timed_whole_and_a_tenfold_slowdown_is_red(tmp_path: Path) -> None:
    os.environ.setdefault("RUSTA_CACHE_DIR", str(tmp_path / "cache"))
    (tmp_path / "c" / "benches").mkdir(parents=True)
    crate = make_crate(
        tmp_path / "c",
        LIB,
        name="proofs_benches",
        extra={"benches/stir_main.rs": MAIN, "benches/stir_lib.rs": LIBTEST},
    )
    with (crate / "Cargo.toml").open("a") as f:
        f.write(MANIFEST_EXTRA)
    assert plain_benches(crate) == (["stir_main"], ["stir_lib"])
    patch = Patch.new(diff_of(crate, LIB.replace("300_000", "3_000_000")), "more rounds")
    proofs = crate_bench_proofs(crate, patch, max_slowdown=0.2, accept_slower=False, budget_s=30)
    skipped, timed = proofs
    assert skipped.status == "skipped" and skipped.detail.startswith("bench benches/stir_lib: not run: ")
    assert timed.status == "failed", timed.detail
    assert timed.detail.startswith("bench benches/stir_main (whole run): slower, ")
    assert (
        timed.bench is not None and timed.bench.low > 1.2 and timed.count >= 5
    )  # past the 20% allowance; the 10x shrinks under load
    ok = crate_bench_proofs(crate, patch, max_slowdown=0.2, accept_slower=True, budget_s=30)[1]
    assert ok.status == "evidence" and "accepted by the user" in ok.detail
