"""`rusta fix` and `rusta review` prove the patches they propose as `rusta apply` does: real cargo on
tiny crates. Fuzzing runs by default (a fix's behaviour change is shown with the input; a review
fix or a --refactor diff that changes behaviour is red); a timing runs with --bench and is judged
by the allowance in the crate's Settings unless --max-slowdown says otherwise; a proof that cannot
run says why in one sentence.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import msgspec
import pytest

from rusta_tui import settings as settings_io
from rusta_tui.types import Settings
from tests.proofs.crates import diff_of, make_crate, run_rusta

pytestmark = pytest.mark.slow

# a test repair: the committed crate passes its test, the working tree breaks the boundary
FULL = """\
/// Whether a buffer of `len` bytes has reached its capacity of 8.
pub fn is_full(len: usize) -> bool {
    len >= 8
}

#[cfg(test)]
mod tests {
    #[test]
    fn eight_is_full() { assert!(super::is_full(8)); }
}
"""
# a compile repair: the old body does not type-check
TOTAL = """\
pub fn total(xs: &[u8]) -> u64 {
    let n: u32 = xs.len();
    n as u64
}
"""
# a review: a plain fn, and a timing fixture
MIX = """\
pub fn mix(x: u64) -> u64 {
    let mut h = x;
    for _ in 0..4 {
        h = std::hint::black_box(h.rotate_left(7) ^ 0x51ED);
    }
    h
}

pub fn parity(n: u32) -> u32 {
    n % 2
}
"""


def _flat(text: str) -> str:
    return " ".join(text.split())


@pytest.fixture(autouse=True)
def _cache(tmp_path_factory: pytest.TempPathFactory) -> None:
    os.environ.setdefault("RUSTA_CACHE_DIR", str(tmp_path_factory.mktemp("cache")))


def test_rusta_fix_fuzzes_a_test_repair_and_shows_an_input_its_behaviour_changes_on(tmp_path: Path) -> None:
    crate = make_crate(tmp_path / "full", FULL, name="fix_full")
    (crate / "src" / "lib.rs").write_text(FULL.replace("len >= 8", "len > 8"))
    out = run_rusta(crate, "fix", "--yes", "--json")
    assert out.returncode == 0, out.stdout + out.stderr
    proofs = json.loads(out.stdout)["validation"]["proofs"]
    fuzz = [p for p in proofs if p["kind"] == "fuzz"]
    assert len(fuzz) == 1 and fuzz[0]["status"] == "evidence", fuzz
    assert fuzz[0]["detail"].startswith("fuzz is_full: behaviour changes, as the fix intends on ")
    # fuzzing goes on past the input the test wanted: every distinct kind of input that differs
    cases = {c["call"]: (c["before"], c["after"]) for c in fuzz[0]["cases"]}
    assert cases["is_full(8)"] == ("false", "true"), cases
    assert len(cases) >= 2 and fuzz[0]["count"] - fuzz[0]["passed"] > 1, fuzz[0]
    assert "is_full(8): before false, after true" in fuzz[0]["detail"]


def test_rusta_fix_says_in_one_sentence_why_a_compile_repair_is_not_fuzzed(tmp_path: Path) -> None:
    crate = make_crate(tmp_path / "total", TOTAL, name="fix_total")
    out = run_rusta(crate, "fix", "--yes")
    assert out.returncode == 0, out.stdout + out.stderr
    said = _flat(out.stdout)
    assert (
        "proof skipped: fuzz total: not run: the old version of total does not compile "
        "(error[E0308]: mismatched types), so there is no old behaviour to compare with." in said
    ), said
    # --no-fuzz: no fuzz line at all (the repair is already applied; a fresh crate)
    again = make_crate(tmp_path / "total2", TOTAL, name="fix_total2")
    out = run_rusta(again, "fix", "--yes", "--no-fuzz")
    assert out.returncode == 0 and "fuzz" not in out.stdout.replace("fuzzing", ""), out.stdout


def test_rusta_fix_dry_run_with_bench_times_the_fix_and_writes_nothing(tmp_path: Path) -> None:
    crate = make_crate(tmp_path / "full", FULL, name="fix_bench")
    broken = FULL.replace("len >= 8", "len > 8")
    (crate / "src" / "lib.rs").write_text(broken)
    out = run_rusta(crate, "fix", "--dry-run", "--bench", "--json")
    assert (crate / "src" / "lib.rs").read_text() == broken
    got = json.loads(out.stdout)
    assert got["applied"] is None and got["validation"]["verdict"] == "green", out.stderr
    kinds = {p["kind"]: p for p in got["validation"]["proofs"]}
    assert kinds["fuzz"]["status"] == "evidence"
    bench = kinds["bench"]
    assert bench["detail"].startswith("bench is_full:") and bench["bench"]["samples"] == 31, bench


def test_rusta_review_diff_fuzzes_the_diff_and_refactor_makes_a_difference_red(tmp_path: Path) -> None:
    crate = make_crate(tmp_path / "mix", MIX, name="review_mix")
    (tmp_path / "p.diff").write_text(diff_of(crate, MIX.replace("n % 2", "n & 1 | (n >> 31)")))
    out = run_rusta(crate, "review", "--no-clippy", "--diff", "../p.diff")
    assert out.returncode == 0, out.stdout + out.stderr
    assert "proof evidence: fuzz parity: behaviour changes on " in _flat(out.stdout), out.stdout
    red = run_rusta(crate, "review", "--no-clippy", "--refactor", "--json", "--diff", "../p.diff")
    assert red.returncode == 1, red.stdout + red.stderr
    diff = json.loads(red.stdout)["diff"]
    assert diff["verdict"] == "red" and diff["reason"].startswith("the refactor changes behaviour on ")
    assert any(p["kind"] == "fuzz" and p["status"] == "failed" for p in diff["proofs"])


def test_rusta_review_base_fuzzes_the_fix_it_offers_and_sarif_carries_it(tmp_path: Path) -> None:
    crate = make_crate(tmp_path / "lint", MIX, name="review_lint")
    with (crate / "src" / "lib.rs").open("a") as f:
        f.write("\npub fn none_left(v: &[i32]) -> bool {\n    v.len() == 0\n}\n")
    out = run_rusta(crate, "review", "--base", "HEAD", "--format", "sarif")
    assert out.returncode in (0, 1), out.stderr
    run = json.loads(out.stdout)["runs"][0]
    fixed = [r for r in run["results"] if r["ruleId"] == "clippy::len_zero"]
    assert fixed, [r["ruleId"] for r in run["results"]]
    proofs = fixed[0]["fixes"][0]["properties"]["proofs"]  # an offered fix carries its proofs
    fuzz = next(p for p in proofs if p["kind"] == "fuzz")
    assert fuzz["status"] == "passed" and fuzz["detail"].startswith("fuzz none_left: old and new agree on ")
    text = run_rusta(crate, "review", "--base", "HEAD", "--no-tests")
    assert "proof passed: fuzz none_left: old and new agree on" in _flat(text.stdout), text.stdout


def test_review_bench_is_judged_by_the_settings_allowance_unless_max_slowdown_overrides(
    tmp_path: Path,
) -> None:
    crate = make_crate(tmp_path / "slow", MIX, name="review_slow")
    (tmp_path / "slow.diff").write_text(diff_of(crate, MIX.replace("0..4", "0..40")))
    settings_io.save(crate, msgspec.structs.replace(Settings(), bench_max_slowdown_pct=100000.0))
    loose = run_rusta(
        crate, "review", "--no-clippy", "--no-fuzz", "--bench", "--json", "--diff", "../slow.diff"
    )
    assert loose.returncode == 0, loose.stdout + loose.stderr
    bench = next(p for p in json.loads(loose.stdout)["diff"]["proofs"] if p["kind"] == "bench")
    assert bench["status"] == "evidence" and bench["bench"]["verdict"] == "slower", bench
    tight = run_rusta(
        crate,
        "review",
        "--no-clippy",
        "--no-fuzz",
        "--bench",
        "--max-slowdown",
        "20",
        "--diff",
        "../slow.diff",
    )
    assert tight.returncode == 1, tight.stdout + tight.stderr
    assert "Slower than the 20% allowed" in _flat(tight.stdout)
