"""The fuzz proof names the user's own error, not the one only the old-beside-new pairing makes.

The old fn is pasted beside the patched file; when the patch changed a trait method's signature
(a generic method made `&dyn Display`, so the trait is dyn compatible), the old body's call passes
a `usize` where `&dyn Display` is now wanted: E0308, an error the user's code never had. The crate
did not compile before the patch because of E0038, and that is why there is no old behaviour
(review F, f12: "the old version of Registry::run does not compile (error[E0308] ...)").
Real cargo on a crate written here, through `explain --apply 1`.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.cli_runner import rusta

pytestmark = pytest.mark.slow

GAUGE = """use std::fmt::Display;

pub trait Meter {
    fn unit(&self) -> &str;
    fn tag<V: Display>(&self, value: V) -> String {
        format!("{} {}", value, self.unit())
    }
}

pub struct Chars;
pub struct Words;

impl Meter for Chars {
    fn unit(&self) -> &str {
        "chars"
    }
}

impl Meter for Words {
    fn unit(&self) -> &str {
        "words"
    }
}

pub struct Gauge {
    meters: Vec<Box<dyn Meter>>,
}

impl Gauge {
    pub fn new() -> Self {
        Gauge { meters: vec![Box::new(Chars), Box::new(Words)] }
    }

    pub fn read(&self, text: &str) -> Vec<String> {
        let mut out = Vec::new();
        for (i, m) in self.meters.iter().enumerate() {
            let n = if i == 0 { text.len() } else { text.split_whitespace().count() };
            out.push(m.tag(n));
        }
        out
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn reads_both() {
        assert_eq!(super::Gauge::new().read("a bc"), vec!["4 chars", "2 words"]);
    }
}
"""


def test_the_old_fn_is_said_not_to_compile_for_the_users_own_error(tmp_path: Path) -> None:
    root = tmp_path / "meters"
    (root / "src").mkdir(parents=True)
    (root / "Cargo.toml").write_text('[package]\nname = "meters"\nversion = "0.1.0"\nedition = "2021"\n')
    (root / "src" / "lib.rs").write_text(GAUGE)
    r = rusta("explain", str(root), "--apply", "1", "--no-clippy", columns=300, timeout=600)
    assert r.returncode == 0, r.stdout + r.stderr
    assert "&dyn Display" in (root / "src" / "lib.rs").read_text()
    fuzz = next(ln for ln in r.stdout.splitlines() if "fuzz Gauge::read" in ln)
    assert "not run: the old version of Gauge::read does not compile: the crate without the patch has" in fuzz
    assert "error[E0038]" in fuzz and "E0308" not in fuzz, fuzz
