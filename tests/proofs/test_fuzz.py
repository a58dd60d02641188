"""Differential fuzzing on real crates with real cargo: a refactor that keeps behaviour, one that does not."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from engine.patching.types import Patch
from engine.proofs.fuzz import fuzz_patch
from engine.proofs.fuzz_plan import fuzz_targets
from rusta_tui.cli.apply import EXIT_RED
from tests.proofs.crates import diff_of, make_crate, run_rusta

pytestmark = pytest.mark.slow

LIB = """\
pub fn half(x: i32) -> i32 {
    x / 2
}

pub fn count_a(s: &str, v: &[u8]) -> usize {
    s.chars().filter(|c| *c == 'a').count() + v.len()
}

pub fn width(s: String) -> usize {
    s.len()
}

pub fn clamp_low(x: i64, on: bool) -> i64 {
    if on && x < 0 { 0 } else { x }
}

pub fn scale(v: Vec<u8>, by: u8) -> Vec<u8> {
    v.iter().map(|b| b * by).collect()
}
"""

KEEPS = (
    LIB.replace(
        "s.chars().filter(|c| *c == 'a').count() + v.len()", "s.matches('a').count() + v.iter().count()"
    )
    .replace("if on && x < 0 { 0 } else { x }", "if on { x.max(0) } else { x }")
    .replace("v.iter().map(|b| b * by).collect()", "v.into_iter().map(|b| b * by).collect()")
)
CHANGES = LIB.replace("x / 2", "x >> 1").replace("s.len()", "s.chars().count()")


@pytest.fixture(scope="module")
def crate(tmp_path_factory: pytest.TempPathFactory) -> Path:
    os.environ.setdefault("RUSTA_CACHE_DIR", str(tmp_path_factory.mktemp("cache")))
    return make_crate(tmp_path_factory.mktemp("fuzz") / "crate", LIB)


def test_a_refactor_that_keeps_behaviour_passes_on_every_input(crate: Path) -> None:
    patch = Patch.new(diff_of(crate, KEEPS), "refactor: iterator forms")
    proofs = fuzz_patch(crate, patch, max_inputs=3000, time_s=10)
    assert sorted(p.detail.split(":")[0] for p in proofs) == ["fuzz clamp_low", "fuzz count_a", "fuzz scale"]
    for p in proofs:
        assert p.status == "passed", p.detail
        assert p.count == 3000 and p.passed == 3000
        assert "not libFuzzer" in p.detail


def test_a_silent_edge_case_change_is_found_and_minimised(crate: Path) -> None:
    patch = Patch.new(diff_of(crate, CHANGES), "refactor: cheaper arithmetic")
    proofs = {p.detail.split(":")[0]: p for p in fuzz_patch(crate, patch, max_inputs=3000, time_s=10)}
    half, width = proofs["fuzz half"], proofs["fuzz width"]
    assert half.status == "failed" and width.status == "failed"
    # -1 / 2 == 0 but -1 >> 1 == -1: shrinking toward 0 lands on the smallest witness
    assert "half(-1): before 0, after -1" in half.detail
    # a single non-ASCII char: bytes and chars differ; halving leaves one char
    witness = width.detail.split("width(")[1].split(")")[0]
    assert len(witness.strip('"')) == 1 and not witness.strip('"').isascii(), width.detail
    # the same difference under a fix is evidence, not a failure
    fixed = fuzz_patch(crate, patch, intent="fix", max_inputs=3000, time_s=10)
    assert {p.status for p in fixed} == {"evidence"}


def test_what_cannot_be_fuzzed_is_named_with_the_reason() -> None:
    old = b"pub fn f(p: &mut Vec<i32>) { p.push(1) }\npub fn g<T: Copy>(x: T) -> T { x }\nfn h(x: u8) -> u8 { x }\n"
    new = b"pub fn f(p: &mut Vec<i32>) { p.push(2) }\npub fn g<T: Copy>(x: T) -> T { { x } }\nfn h(x: u16) -> u16 { x }\n"
    ok, skipped = fuzz_targets(old, new)
    assert ok == []
    assert skipped == [
        "f: Rusta cannot generate &mut Vec<i32> (a mutable borrow)",
        "g: generic or async",
        "h: its signature changed",
    ]


def test_rusta_apply_fuzz_stops_a_behaviour_changing_refactor_before_the_users_files(crate: Path) -> None:
    before = (crate / "src" / "lib.rs").read_bytes()
    (crate / ".." / "p.diff").write_text(diff_of(crate, CHANGES))
    out = run_rusta(crate, "apply", "../p.diff", "--explain", "refactor", "--fuzz", "--yes", "--json")
    assert out.returncode == EXIT_RED, out.stderr
    assert (crate / "src" / "lib.rs").read_bytes() == before
    v = json.loads(out.stdout)["validation"]
    assert v["verdict"] == "red" and "half(-1)" in v["reason"]
    assert {p["kind"] for p in v["proofs"]} >= {"check", "tests", "fuzz", "rustfmt"}


ODD = """\
pub struct Opaque(pub u8);

pub fn wrap(x: u8) -> Opaque {
    Opaque(x)
}

pub fn step(n: u8) -> u8 {
    n
}
"""


def test_a_hang_is_caught_with_its_input_and_a_result_without_debug_is_named(tmp_path: Path) -> None:
    root = make_crate(tmp_path / "odd", ODD, name="proofs_odd")
    new = ODD.replace("Opaque(x)\n", "Opaque(x + 0)\n").replace(
        "    n\n",
        "    let mut i = n;\n    while i % 2 == 0 {\n        i = i.wrapping_add(2);\n    }\n    i\n",
    )
    proofs = {
        p.detail.split(":")[0]: p for p in fuzz_patch(root, Patch.new(diff_of(root, new), "loop"), time_s=5)
    }
    step = proofs["fuzz step"]
    assert (
        step.status == "failed" and "the new version does not return within 2000 ms on step(0)" in step.detail
    )
    wrap = proofs["fuzz"]
    assert wrap.status == "skipped" and wrap.detail == (
        "fuzz: not run for wrap: its result, Opaque, has neither a derived nor an implemented Debug to compare."
    )


@pytest.mark.parametrize("edition", ["2015", "2018"])
def test_the_harness_builds_in_an_older_edition_and_catches_the_change(tmp_path: Path, edition: str) -> None:
    """Before 2021 an array's into_iter() yields references: the generator's edge product must not
    rely on it (seen on Debian's bytesize, edition 2015: every fuzz said the harness did not compile)."""
    os.environ.setdefault("RUSTA_CACHE_DIR", str(tmp_path / "cache"))
    lib = (
        "pub fn scaled(bytes: u64, si: bool) -> u64 {\n    if si { bytes / 1024 } else { bytes / 1000 }\n}\n"
    )
    crate = make_crate(tmp_path / "c", lib, name="old_edition")
    manifest = crate / "Cargo.toml"
    manifest.write_text(manifest.read_text().replace('edition = "2021"', f'edition = "{edition}"'))
    same = Patch.new(diff_of(crate, lib.replace("if si {", "if si == true {")), "same")
    (kept,) = fuzz_patch(crate, same, time_s=1.0)
    assert kept.status == "passed" and kept.count > 100, kept.detail
    off = Patch.new(diff_of(crate, lib.replace("bytes / 1000", "bytes / 1024")), "off")
    (changed,) = fuzz_patch(crate, off, time_s=1.0)
    assert changed.status == "failed" and changed.cases, changed.detail


UNITS = """\
pub const KB: u64 = 1_000;
pub const KIB: u64 = 0x400;

pub fn label(bytes: u64, binary: bool) -> String {
    let unit = if binary { KIB } else { KB };
    if bytes < unit { format!("{} B", bytes) } else { format!("{} k", bytes / unit) }
}
"""


def test_the_numbers_the_code_names_are_inputs_so_a_moved_boundary_is_found(tmp_path: Path) -> None:
    """`< unit` to `< KB` differs only for 1000..1023 with binary set: random u64s all but never land
    there, the code's own numbers (1000, 0x400, each give or take one) do (seen on Debian's bytesize)."""
    from engine.proofs.fuzz_plan import dictionary
    from engine.syntax.fn_items import changed_items

    os.environ.setdefault("RUSTA_CACHE_DIR", str(tmp_path / "cache"))
    moved = UNITS.replace("if bytes < unit {", "if bytes < KB {")
    ((prev, it),) = changed_items(UNITS.encode(), moved.encode())
    assert dictionary(prev, it, moved.encode()) == (1000, 1024)  # the consts it names, by value
    whole = changed_items(b"fn f(x: u8) -> u8 { x }\n", b"fn f(x: u8) -> u8 { x % 0x1F_u8 + 7_i32 as u8 }\n")
    assert dictionary(*whole[0], b"") == (31, 7)  # hex, suffixes, underscores; 0, 1 and 2 are edges already
    ranged = changed_items(
        b"fn g(x: u32) -> f64 { 0.0 }\n",
        b"fn g(x: u32) -> f64 { if (10..=300).contains(&x) { 1.5 } else { 2e3 } }\n",
    )
    assert dictionary(*ranged[0], b"") == (10, 300)  # a range's bounds, no part of a float
    crate = make_crate(tmp_path / "c", UNITS, name="units")
    # 64 inputs: the edge cases alone, the code's numbers among them (random values come after)
    (proof,) = fuzz_patch(crate, Patch.new(diff_of(crate, moved), "compare with KB"), max_inputs=64)
    assert proof.status == "failed" and proof.count == 64, proof.detail
    assert any(c.call == "label(1000, true)" for c in proof.cases), proof.cases
