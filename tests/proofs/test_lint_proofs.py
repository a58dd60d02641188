"""The check proof says what clippy said of a patch, against the crate without it (real cargo, real
clippy): a patch that compiles but writes `*(&x)` or `&a * &b` is not called clean."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from engine.patching import api
from engine.patching.types import Patch
from tests.proofs.crates import diff_of, make_crate

pytestmark = pytest.mark.slow

LIB = """\
pub struct Reading {
    pub volts: u16,
    pub amps: f32,
}

/// Power drawn by each reading, in watts.
pub fn watts(rs: &[Reading]) -> Vec<f32> {
    rs.iter().map(|r| r.volts as f32 * r.amps).collect()
}

#[cfg(test)]
mod tests {
    #[test]
    fn one_reading() {
        assert_eq!(super::watts(&[super::Reading { volts: 2, amps: 1.5 }]), vec![3.0]);
    }
}
"""
DETOUR = LIB.replace("r.volts as f32 * r.amps", "*(&r.volts) as f32 * &r.amps")
SAME = LIB.replace(
    "rs.iter().map(|r| r.volts as f32 * r.amps).collect()",
    "rs.iter().map(|r| f32::from(r.volts) * r.amps).collect()",
)


@pytest.fixture(scope="module")
def crate(tmp_path_factory: pytest.TempPathFactory) -> Path:
    os.environ.setdefault("RUSTA_CACHE_DIR", str(tmp_path_factory.mktemp("cache")))
    return make_crate(tmp_path_factory.mktemp("lints") / "crate", LIB, name="lint_proofs")


def _check(v) -> str:  # noqa: ANN001
    return next(p.detail for p in v.proofs if p.kind == "check")


def test_a_patch_that_adds_lints_says_how_many_and_which(crate: Path) -> None:
    v = api.validate(crate, Patch.new(diff_of(crate, DETOUR), "reads through a borrow"))
    assert v.green and v.check_tool == "clippy", v.reason
    said = _check(v)
    assert "0 warning(s)" not in said, said
    assert v.warnings_before == 0 and sorted(set(v.new_warnings)) == [
        "clippy::deref_addrof",
        "clippy::op_ref",
    ]
    assert "clippy warnings 0 -> 2: the patch adds 2 (clippy::deref_addrof, clippy::op_ref)" in said, said


def test_a_patch_that_adds_none_says_so(crate: Path) -> None:
    v = api.validate(crate, Patch.new(diff_of(crate, SAME), "a lossless conversion"))
    assert v.green and v.new_warnings == (), v.new_warnings
    assert "none added by the patch" in _check(v), _check(v)
