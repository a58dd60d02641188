"""The fuzz proof of `--apply` says truly why the old fn could not be compared (#14). The old fn is
pasted into the patched file; when the patch swapped a `use` (`Rc` for `Arc`), the old copy fails to
resolve `Rc` there, an artefact of the pairing, not the old code's error (that one is E0277, `Rc` is
not `Send`). The mistakes guarded: quoting the artefact as "the old version does not compile
(error[E0433] ...)", and blaming scope when the crate did not compile before the patch at all (the
E0277 the patch addresses is why there is no old behaviour). Real cargo on crates written here:
counters shared with threads through `Rc`, and a label list handed to threads through `Rc`."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.cli_runner import rusta
from tests.explain.crates import write_lib

pytestmark = pytest.mark.slow

LIB = """\
use std::rc::Rc;
use std::thread;

/// Sums each chunk of `values` on its own thread, each sum scaled by `factor`.
pub fn scaled_sums(values: Vec<u32>, factor: u32) -> u64 {
    let factor = Rc::new(factor);
    let mut handles = Vec::new();
    for chunk in values.chunks(2) {
        let chunk = chunk.to_vec();
        let factor = Rc::clone(&factor);
        handles.push(thread::spawn(move || chunk.iter().map(|v| (*v as u64) * (*factor as u64)).sum::<u64>()));
    }
    handles.into_iter().map(|h| h.join().unwrap()).sum()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sums() {
        assert_eq!(scaled_sums(vec![1, 2, 3], 2), 12);
    }
}
"""


def test_the_fuzz_proof_does_not_quote_a_pairing_artefact_as_the_old_error(tmp_path: Path) -> None:
    root = write_lib(tmp_path, "sums", LIB)
    r = rusta("explain", str(root), "--apply", "1", "--no-clippy")
    assert r.returncode == 0, r.stdout + r.stderr
    assert "Arc" in (root / "src" / "lib.rs").read_text()
    fuzz = next(ln for ln in r.stdout.splitlines() if "fuzz scaled_sums" in ln or "fuzz:" in ln)
    assert "E0433" not in fuzz.split("no longer brings")[0] and "cannot find" not in fuzz, fuzz
    assert "not run: the old version of scaled_sums" in fuzz, fuzz
    assert "the crate without the patch has error[E0277]" in fuzz and "scope" not in fuzz, fuzz


LABELS = """\
use std::rc::Rc;
use std::thread;

/// The length of each label, each measured on its own thread.
pub fn label_lengths(labels: Vec<String>) -> Vec<usize> {
    let shared = Rc::new(labels);
    let mut handles = Vec::new();
    for i in 0..shared.len() {
        let shared = Rc::clone(&shared);
        handles.push(thread::spawn(move || shared[i].chars().count()));
    }
    handles.into_iter().map(|h| h.join().unwrap()).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lengths() {
        assert_eq!(label_lengths(vec!["ab".into(), "cde".into()]), vec![2, 3]);
    }
}
"""


def test_a_crate_that_did_not_build_before_the_patch_has_no_old_behaviour(tmp_path: Path) -> None:
    root = write_lib(tmp_path, "labels", LABELS)
    r = rusta("explain", str(root), "--apply", "1", "--no-clippy")
    assert r.returncode == 0, r.stdout + r.stderr
    assert "Arc" in (root / "src" / "lib.rs").read_text()
    fuzz = next(ln for ln in r.stdout.splitlines() if "fuzz label_lengths" in ln or "fuzz:" in ln)
    assert "not run: the old version of label_lengths does not compile" in fuzz, fuzz
    assert "error[E0277]" in fuzz and "E0433" not in fuzz and "scope" not in fuzz, fuzz
