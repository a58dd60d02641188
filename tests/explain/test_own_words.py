"""Whose words a line is: `--no-rustc` keeps Rusta's own Why; a clippy lint's help is clippy's.

Real cargo (and clippy) on crates written here, through the CLI as a user runs it (review F: f18's
`--no-rustc` printed "Why (rustc): ..." and dropped Rusta's Why; f17 labelled clippy's help
"rustc's help" under a root cause "where rustc points").
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.cli_runner import rusta

pytestmark = [pytest.mark.slow]


def _crate(root: Path, name: str, lib: str) -> Path:
    (root / "src").mkdir(parents=True)
    (root / "Cargo.toml").write_text(f'[package]\nname = "{name}"\nversion = "0.1.0"\nedition = "2021"\n')
    (root / "src" / "lib.rs").write_text(lib)
    return root


_INBOX = """pub struct Inbox {
    unread: Vec<String>,
}

impl Inbox {
    pub fn drain_count(&mut self) -> usize {
        let taken = self.unread;
        taken.len()
    }
}
"""

_POSITIONS = """use std::collections::HashMap;

pub fn tally(words: Vec<String>) -> HashMap<String, u32> {
    let mut seen = HashMap::new();
    for w in words {
        if !seen.contains_key(&w) {
            seen.insert(w, 1);
        } else {
            *seen.get_mut(&w).unwrap() += 1;
        }
    }
    seen
}

pub fn positions(text: &str) -> HashMap<char, usize> {
    let mut first = HashMap::new();
    for (i, c) in text.chars().enumerate() {
        if !first.contains_key(&c) {
            first.insert(c, i);
        }
    }
    first
}

#[cfg(test)]
mod tests {
    #[test]
    fn keeps_the_first_place() {
        assert_eq!(super::positions("abca")[&'a'], 0);
    }
}
"""


def test_no_rustc_prints_rustas_why_and_nothing_of_rustcs(tmp_path: Path) -> None:
    crate = _crate(tmp_path / "inbox", "inbox", _INBOX)
    args = ("explain", str(crate), "--mode", "pair", "--no-validate", "--no-clippy")
    full = rusta(*args, columns=200, timeout=300)
    assert full.returncode == 0, full.stderr
    why = next(ln for ln in full.stdout.splitlines() if ln.startswith("Rusta: Why: "))[len("Rusta: ") :]
    only = rusta(*args, "--no-rustc", columns=200, timeout=300)
    assert only.returncode == 0, only.stderr
    lines = only.stdout.splitlines()
    assert why in lines, only.stdout  # the same Why Rusta adds under rustc's text
    assert not any("(rustc)" in ln or ln.lstrip().startswith(("-->", "|", "= note")) for ln in lines), lines


def test_a_clippy_lints_help_and_span_are_clippys(tmp_path: Path) -> None:
    crate = _crate(tmp_path / "first_seen", "first_seen", _POSITIONS)
    study = rusta("explain", str(crate), "--mode", "study", "--no-validate", columns=200, timeout=300)
    assert study.returncode == 0, study.stderr
    out = study.stdout
    assert "clippy::map_entry" in out, out
    assert "clippy's help" in out and "rustc's help" not in out
    assert "where rustc" not in out and "places where clippy reports the same `clippy::map_entry` lint" in out
    # one fix of Rusta's covers both places (clippy's machine-applicable edit covers only `positions`)
    assert "at each of the 2 places (not checked yet, Rusta)" in out and ", rustc, " not in out
    # the invariant quotes what the lint found, not a sentence that fits every lint
    assert "Clippy's `map_entry` lint: usage of `contains_key` followed by `insert` on a `HashMap`" in out
