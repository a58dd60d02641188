"""`rusta explain --apply N` lands only a fix explain showed as working (real cargo, crates written here).

The general mistake: the apply path validating a fix alone in the sandbox, where "fewer errors" is
green while another story's error keeps the crate's tests from running, so a fix that explain's own
check of the lead fixes together had seen break a test was written to disk. What apply may land is
what explain showed: fix N as numbered there, refused (exit 3, nothing changed) when that check saw
it break a test."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.cli_runner import rusta
from tests.explain.crates import write_lib

pytestmark = pytest.mark.slow

# two E0308: rustc's `.expect("REASON")` for the parse makes the overflow test panic, and a default
# (0) is not the port it expects (443); the host's `.to_string()` is harmless. Neither fix alone
# lets the crate build, so only the set runs the tests
PORTS = """pub fn port(spec: &str) -> u16 {
    let digits = spec.trim_start_matches(':');
    if digits.is_empty() {
        return 443;
    }
    digits.parse()
}

pub fn host(spec: &str) -> String {
    let name = spec.split(':').next().unwrap_or("");
    name
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn too_big_falls_back() {
        assert_eq!(port(":70000"), 443);
    }

    #[test]
    fn host_before_colon() {
        assert_eq!(host("db:80"), "db");
    }
}
"""


def test_a_fix_explain_saw_break_a_test_is_refused(tmp_path: Path) -> None:
    root = write_lib(tmp_path, "ports", PORTS)
    before = (root / "src/lib.rs").read_text()
    env = {"RUSTA_CACHE_DIR": str(tmp_path / "c")}
    r = rusta("explain", str(root), "--apply", "1", "--no-clippy", env=env)
    shown = next((ln for ln in r.stdout.splitlines() if ln.startswith("#1 Fix")), "")
    assert "tests::too_big_falls_back" in shown and "✓" not in shown, r.stdout  # what explain showed
    refusal = next((ln for ln in r.stdout.splitlines() if ln.startswith("Refused fix 1 of story #1")), "")
    assert r.returncode == 3 and "tests::too_big_falls_back" in refusal, r.stdout + r.stderr
    assert (root / "src/lib.rs").read_text() == before  # nothing written
