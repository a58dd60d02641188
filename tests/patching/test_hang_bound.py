"""A patch whose test hangs is red within a multiple of the suite's own time, not after the cap.

Real cargo on a crate written here: workers send on an mpsc channel and `total` sums what the
receiver yields. The hanging patch keeps the function's own `Sender` alive while it iterates the
receiver, so `rx.iter()` never ends: the shape a forgotten `drop(tx)` makes.
"""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from engine.patching import api
from engine.patching.diffs import render
from engine.patching.sandbox import HANG_FLOOR_S, TEST_TIMEOUT_S, hang_bound
from engine.patching.types import Patch

pytestmark = [pytest.mark.slow]

_LIB = """use std::sync::mpsc;
use std::thread;

pub fn total(parts: &[Vec<u32>]) -> u32 {
    let (tx, rx) = mpsc::channel();
    for part in parts {
        let tx = tx.clone();
        let part = part.clone();
        thread::spawn(move || tx.send(part.iter().sum::<u32>()).unwrap());
    }
    drop(tx);
    rx.iter().sum()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sums_every_part() {
        assert_eq!(total(&[vec![1, 2], vec![3]]), 6);
    }
}
"""


def _crate(root: Path) -> Path:
    (root / "src").mkdir(parents=True)
    (root / "Cargo.toml").write_text('[package]\nname = "chan_total"\nversion = "0.1.0"\nedition = "2021"\n')
    (root / "src" / "lib.rs").write_text(_LIB)
    return root


def test_the_bound_is_a_multiple_of_the_suite_and_never_above_the_cap() -> None:
    assert hang_bound(None) is None
    assert hang_bound(0.01) == HANG_FLOOR_S
    assert hang_bound(10.0) == 50.0
    assert hang_bound(TEST_TIMEOUT_S) is None  # the cap stands: the bound would be above it


def test_a_hung_test_is_red_within_the_bound(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    cache = tmp_path / "rusta-cache"
    cache.mkdir()
    monkeypatch.setenv("RUSTA_CACHE_DIR", str(cache))
    root = _crate(tmp_path / "chan_total")
    lib = (root / "src" / "lib.rs").read_bytes()
    doubled = lib.replace(b"vec![3]]), 6)", b"vec![3], vec![4]]), 10)")
    first = api.validate(root, Patch.new(render({"src/lib.rs": (lib, doubled)}), "one more part"))
    assert first.verdict == "green", first.reason  # a finished run: the suite's time is known now
    hung = lib.replace(b"    drop(tx);\n", b"")
    t0 = time.monotonic()
    v = api.validate(root, Patch.new(render({"src/lib.rs": (lib, hung)}), "keep the sender"))
    took = time.monotonic() - t0
    assert v.verdict == "red" and v.test_status == "timeout", v.reason
    assert took < TEST_TIMEOUT_S / 2, took
    assert v.reason.startswith(
        f"the tests did not finish within {HANG_FLOOR_S:g} s (the suite took under 0.1 s on its last run"
    ), v.reason
    assert "): a hang. The suite src/lib.rs was still running: 0 of 1 tests had finished." in v.reason
    assert ".." not in v.reason and "cargo test cargo" not in v.reason


def test_with_no_finished_run_the_cap_stands_and_says_so_once(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """No run of the suite ever finished (a fresh sandbox): only the cap bounds the tests, and its
    sentence names cargo test once and ends with one full stop (it read "cargo test cargo was killed
    ... had finished.." in review F, f20). The cap is lowered so the test does not wait 300 s."""
    from engine.patching import sandbox

    cache = tmp_path / "rusta-cache"
    cache.mkdir()
    monkeypatch.setenv("RUSTA_CACHE_DIR", str(cache))
    monkeypatch.setattr(sandbox, "TEST_TIMEOUT_S", 40.0)
    root = _crate(tmp_path / "chan_total")
    lib = (root / "src" / "lib.rs").read_bytes()
    hung = lib.replace(b"    drop(tx);\n", b"")
    v = api.validate(root, Patch.new(render({"src/lib.rs": (lib, hung)}), "keep the sender"))
    assert v.verdict == "red" and v.test_status == "timeout", v.reason
    assert v.reason == (
        "cargo test was killed after the 40 s limit. "
        "The suite src/lib.rs was still running: 0 of 1 tests had finished."
    ), v.reason
