"""A crate's rust-toolchain.toml decides the compiler of every cargo run Rusta makes for it, its
sandbox copy included; `rusta doctor PATH` reports the pin, and a pin that is not installed is one
sentence. Real cargo and rustup; the nightly the suite's machine has (see test_cargo_live)."""

from __future__ import annotations

import subprocess
from pathlib import Path

from tests.cli_runner import rusta
from toolbelt.doctor import check_pin

# compiles on nightly only: stable says E0554 "#![feature] may not be used on the stable release channel"
NIGHTLY_LIB = """#![feature(never_type)]
pub fn never() -> Option<!> {
    None
}

pub fn add(a: u32, b: u32) -> u32 {
    a + b
}

#[cfg(test)]
mod tests {
    #[test]
    fn adds() {
        assert_eq!(super::add(1, 2), 4);
    }
}
"""

FIX = """the sum of 1 and 2 is 3
--- a/src/lib.rs
+++ b/src/lib.rs
@@ -13,3 +13,3 @@
     fn adds() {
-        assert_eq!(super::add(1, 2), 4);
+        assert_eq!(super::add(1, 2), 3);
     }
"""


def _crate(at: Path) -> Path:
    (at / "src").mkdir(parents=True)
    (at / "Cargo.toml").write_text('[package]\nname = "pinned"\nversion = "0.1.0"\nedition = "2021"\n')
    (at / "src" / "lib.rs").write_text(NIGHTLY_LIB)
    return at


def _rusta(*args: str, cwd: Path, cache: Path) -> subprocess.CompletedProcess[str]:
    return rusta(*args, cwd=cwd, env={"RUSTA_CACHE_DIR": str(cache), "RUSTUP_TOOLCHAIN": None}, timeout=300)


def test_a_pin_above_the_crate_reaches_the_sandbox_copy(tmp_path: Path) -> None:
    """The pin sits in a folder above the crate (a monorepo's root): the sandbox copy under Rusta's
    cache has no such folder above it, and must still build with nightly, or the validation of a
    good patch would fail on E0554."""
    mono = tmp_path / "mono"  # Rusta's cache (tmp_path / "cache") is not below it, as in real life
    crate = _crate(mono / "repo" / "inner")
    (mono / "rust-toolchain.toml").write_text('[toolchain]\nchannel = "nightly"\n')
    (tmp_path / "fix.diff").write_text(FIX)
    check = _rusta("check", "--json", cwd=crate, cache=tmp_path / "cache")
    assert check.returncode == 0, check.stdout + check.stderr  # nightly here: the feature compiles
    out = _rusta("apply", str(tmp_path / "fix.diff"), "--yes", cwd=crate, cache=tmp_path / "cache")
    assert out.returncode == 0, out.stdout + out.stderr
    assert "GREEN" in out.stdout and "E0554" not in out.stdout
    assert "add(1, 2), 3)" in (crate / "src" / "lib.rs").read_text()


def test_doctor_reports_the_pin_and_a_missing_one_in_a_sentence(tmp_path: Path) -> None:
    crate = _crate(tmp_path / "c")
    assert check_pin(crate) is None  # no pin: no row
    (crate / "rust-toolchain.toml").write_text('[toolchain]\nchannel = "nightly"\n')
    ok = check_pin(crate)
    assert ok is not None and ok.status == "ok" and "`nightly`" in ok.detail and "-nightly" in ok.detail
    (crate / "rust-toolchain.toml").write_text('[toolchain]\nchannel = "1.56.0"\n')
    bad = check_pin(crate)
    assert bad is not None and bad.status == "fail" and bad.required
    assert "`1.56.0`" in bad.detail and "rustup toolchain install 1.56.0" in bad.fix
    out = _rusta("doctor", "--json", str(crate), cwd=tmp_path, cache=tmp_path / "cache")
    assert out.returncode == 1 and '"toolchain pin"' in out.stdout, out.stderr
    for command in ("check", "explain"):
        said = _rusta(command, str(crate), cwd=tmp_path, cache=tmp_path / "cache")
        assert said.returncode == 2, said.stdout + said.stderr
        lines = said.stderr.strip().splitlines()
        assert len(lines) == 1 and "`1.56.0`" in lines[0] and "Traceback" not in said.stderr, said.stderr
