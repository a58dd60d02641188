"""A clippy lint at deny level is counted as clippy reports it, an error, never as a warning (#14,
review A a08). The mistake: the `--apply` proof said "cargo clippy diagnostics: 0 error(s); clippy
warnings 0 -> 2" while `cargo clippy` ended with `error: approximate value of f64::consts::PI found`.
Real cargo and clippy on a crate written here: a missing `mut` (the fix) and a test whose `3.14` is
clippy::approx_constant (deny by default), which clippy sees only once the crate builds; the proof
names it as a clippy error on code the patch did not write."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from tests.cli_runner import rusta
from tests.explain.crates import write_lib

pytestmark = pytest.mark.slow

CIRCLE = """\
pub fn perimeters(radii: &[f64]) -> Vec<f64> {
    let out = Vec::new();
    for r in radii {
        out.push(2.0 * std::f64::consts::PI * r);
    }
    out
}

#[cfg(test)]
mod tests {
    #[test]
    fn unit_circle() {
        let p = super::perimeters(&[1.0])[0];
        assert!((p - 2.0 * 3.14).abs() < 0.01);
    }
}
"""


def test_a_deny_lint_is_a_clippy_error_in_the_apply_proof(tmp_path: Path) -> None:
    root = write_lib(tmp_path, "circle", CIRCLE)
    r = rusta("explain", str(root), "--apply", "1", env={"RUSTA_CACHE_DIR": str(tmp_path / "c")})
    assert r.returncode == 0, r.stdout + r.stderr
    assert "let mut out = Vec::new();" in (root / "src/lib.rs").read_text()
    proof = next((ln for ln in r.stdout.splitlines() if "cargo clippy" in ln and "proof" in ln), "")
    assert "0 compile error(s)" in proof and "0 error(s)" not in proof.replace("0 compile error(s)", ""), (
        proof
    )
    assert "clippy errors 0 -> 1" in proof and "warnings 0 -> 0" in proof, proof
    assert "clippy::approx_constant" in proof and "on code the patch did not write" in proof, proof
    clippy = subprocess.run(
        ["cargo", "clippy", "--all-targets", "--message-format=short"],
        cwd=root,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert clippy.returncode != 0 and "error: approximate value" in clippy.stderr, (
        clippy.stderr
    )  # an error indeed
