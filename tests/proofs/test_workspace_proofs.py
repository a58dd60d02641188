"""Proofs in a workspace member (real cargo, the real CLI): a fn of a member is marked hot from inside
it, a bench under the member's benches/ covers it and is timed with `-p`, and a member's refactor that
changes behaviour is caught by fuzzing, though the workspace's default members leave that member out."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from engine.edits import unified_diff
from engine.patching.types import Patch
from engine.proofs import hot
from engine.proofs.bench_cover import coverage
from engine.proofs.crate_benches import crate_bench_proofs, uncovered, workspace_benches
from engine.proofs.fuzz import fuzz_patch
from tests.proofs.crates import committed, run_rusta

ROOT_MANIFEST = """\
[package]
name = "wsroot"
version = "0.1.0"
edition = "2021"

[dependencies]
inner = { path = "inner" }

[workspace]
members = [".", "inner"]
default-members = ["."]
"""
INNER_MANIFEST = """\
[package]
name = "inner"
version = "0.1.0"
edition = "2021"

[[bench]]
name = "spin"
harness = false
"""
INNER = """\
pub fn spin(seed: u32) -> u32 {
    let mut h = seed;
    for _ in 0..300_000 {
        h = std::hint::black_box(h.rotate_right(5).wrapping_add(0x2545));
    }
    h
}

pub fn clamp_add(a: i32, b: i32) -> i32 {
    a.saturating_add(b)
}
"""
BENCH = (
    'fn main() {\n    let mut x = 0;\n    for i in 0..10 { x ^= inner::spin(i); }\n    println!("{x}");\n}\n'
)
ROOT_LIB = "pub fn twice(x: i32) -> i32 {\n    inner::clamp_add(x, x)\n}\n"


def make_workspace(root: Path) -> Path:
    for rel, text in {
        "Cargo.toml": ROOT_MANIFEST,
        "src/lib.rs": ROOT_LIB,
        "inner/Cargo.toml": INNER_MANIFEST,
        "inner/src/lib.rs": INNER,
        "inner/benches/spin.rs": BENCH,
    }.items():
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_text(text)
    return committed(root)


def member_patch(root: Path, new: str, why: str) -> Patch:
    old = (root / "inner/src/lib.rs").read_bytes()
    return Patch.new(unified_diff({"inner/src/lib.rs": old}, {"inner/src/lib.rs": new.encode()}), why)


def test_a_member_fn_is_marked_from_inside_the_member_and_its_bench_covers_it(tmp_path: Path) -> None:
    ws = make_workspace(tmp_path / "ws")
    inside = ws / "inner"
    assert hot.find(ws, "src/lib.rs:2", here=inside) == hot.HotFn(path="inner/src/lib.rs", name="spin")
    assert hot.find(ws, "src/lib.rs:2") == hot.HotFn(path="src/lib.rs", name="twice")  # from the root
    assert hot.find(ws, "clamp_add") == hot.HotFn(path="inner/src/lib.rs", name="clamp_add")
    assert [(b.folder, b.package, b.plain) for b in workspace_benches(ws)] == [("inner", "inner", ["spin"])]
    patch = member_patch(ws, INNER.replace("300_000", "3_000_000"), "more rounds")
    assert [(f.name, by) for f, by in coverage(ws, patch)] == [("spin", "inner/benches/spin.rs")]
    assert uncovered(ws, patch) == ""
    other = member_patch(ws, INNER.replace("saturating_add", "wrapping_add"), "wrap")
    assert uncovered(ws, other) == "no benchmark covers this code: no bench under benches/ reaches clamp_add"


@pytest.mark.slow
def test_a_member_bench_is_timed_with_its_package_and_a_member_refactor_is_caught(tmp_path: Path) -> None:
    os.environ.setdefault("RUSTA_CACHE_DIR", str(tmp_path / "cache"))
    ws = make_workspace(tmp_path / "ws")
    slow = member_patch(
        ws, INNER.replace("300_000", "30_000_000"), "more rounds"
    )  # 100x: clear of a busy machine's A/A noise
    (timed,) = crate_bench_proofs(ws, slow, max_slowdown=0.2, accept_slower=False, budget_s=30)
    assert timed.detail.startswith("bench inner/benches/spin (whole run): slower, "), timed.detail
    assert timed.status == "failed" and timed.bench is not None and timed.bench.low > 1.2
    wrap = member_patch(ws, INNER.replace("saturating_add", "wrapping_add"), "wrap")
    (fuzzed,) = fuzz_patch(ws, wrap, intent="refactor", time_s=2.0)
    assert fuzzed.status == "failed" and fuzzed.cases, fuzzed.detail
    assert fuzzed.detail.startswith("fuzz clamp_add:"), fuzzed.detail
    # the CLI from inside the member: mark the fn hot by the member's own path, apply the refactor
    assert run_rusta(ws / "inner", "hot", "add", "src/lib.rs:10").returncode == 0
    assert run_rusta(ws, "hot", "list").stdout == "inner/src/lib.rs: clamp_add\n"
    (tmp_path / "wrap.diff").write_text("Wrap instead of saturating.\n\n" + wrap.diff)
    out = run_rusta(ws / "inner", "apply", "--yes", "--json", "--fuzz", "refactor", "../../wrap.diff")
    assert out.returncode == 3, out.stdout + out.stderr
    proofs = json.loads(out.stdout)["validation"]["proofs"]
    kinds = {(p["kind"], p["status"]) for p in proofs}
    assert ("fuzz", "failed") in kinds and ("tests", "passed") in kinds, proofs
    assert "The patch changes clamp_add (inner/src/lib.rs), marked hot" in out.stderr
    assert "bench: not run: the patch is already red." in [p["detail"] for p in proofs]
    assert "a.saturating_add(b)" in (ws / "inner/src/lib.rs").read_text()  # red: the file is as it was
    swap = member_patch(ws, INNER.replace("a.saturating_add(b)", "b.saturating_add(a)"), "swap")
    (tmp_path / "swap.diff").write_text("Operands swapped.\n\n" + swap.diff)
    # a nanosecond fn may time 1.2x slower from code placement alone: the verdict is the machine's,
    # so the slowdown is accepted and only that it was timed is asserted
    out = run_rusta(
        ws / "inner", "apply", "--yes", "--json", "--fuzz", "refactor", "--accept-slower", "../../swap.diff"
    )
    assert out.returncode == 0, out.stdout + out.stderr
    proofs = json.loads(out.stdout)["validation"]["proofs"]
    (fuzz,) = [p for p in proofs if p["kind"] == "fuzz"]
    assert fuzz["status"] == "passed" and fuzz["count"] > 100, fuzz
    (timed,) = [p for p in proofs if p["kind"] == "bench" and p["detail"].startswith("bench clamp_add:")]
    assert timed["bench"] is not None, timed  # timed under -p inner: its verdict is the machine's
    assert "b.saturating_add(a)" in (ws / "inner/src/lib.rs").read_text()
