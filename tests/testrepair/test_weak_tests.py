"""A green edit that the tests cannot tell from another edit at the same place is reported as such
(the tests do not pin the behaviour there), and one they do pin is not: real cargo on tiny crates."""

from __future__ import annotations

from pathlib import Path

import pytest

from engine.repair.workspace import Workspace
from engine.testrepair.bridge import weak_tests_message
from engine.testrepair.search import repair_tests
from toolbelt.cargo_run import run_test

pytestmark = pytest.mark.slow

# `x < limit` slipped into `x <= limit`; the tests check one value below and the limit itself,
# so `!=` passes them as well as `<` does. The pinned variant also checks a value above the limit.
# Floats, so that no `x + 1 <= limit` (an integer bound edit, the same predicate) turns green.
LIB = """/// Whether `x` is under the limit.
pub fn under(x: f64, limit: f64) -> bool {{
    x <= limit
}}

#[cfg(test)]
mod tests {{
    use super::*;
    #[test]
    fn below() {{
        assert!(under(3.0, 10.0));
    }}
    #[test]
    fn at_limit() {{
        assert!(!under(10.0, 10.0));
    }}
{extra}}}
"""
ABOVE = """    #[test]
    fn above() {
        assert!(!under(12.0, 10.0));
    }
"""


def _repair(tmp_path: Path, extra: str):
    root = tmp_path / "weak"
    (root / "src").mkdir(parents=True)
    (root / "Cargo.toml").write_text('[package]\nname = "weak"\nversion = "0.1.0"\nedition = "2021"\n')
    (root / "src" / "lib.rs").write_text(LIB.format(extra=extra))
    ws = Workspace(root, tmp_path / "scratch")
    ws.sync()
    rep = run_test(ws.root, backtrace=True)
    failing = [t for t in rep.tests if t.status == "failed"]
    passing = [t.name for t in rep.tests if t.status == "ok"]
    assert [t.name for t in failing] == ["tests::at_limit"]
    out = repair_tests(ws, failing, passing, baseline=lambda: None, budget=12, lm=None)
    assert ws.read("src/lib.rs") == (root / "src" / "lib.rs").read_bytes(), "the user's code again"
    assert out.green is not None
    return out


def test_an_edit_the_tests_cannot_tell_apart_is_reported(tmp_path: Path) -> None:
    out = _repair(tmp_path, "")
    greens = {out.green.candidate.edits[0].replacement} | {
        t.candidate.edits[0].replacement for t in out.also_green
    }
    assert greens == {"<", "!="}, greens
    msg = weak_tests_message(out)
    assert msg.startswith("The tests are too weak to be sure:"), msg
    assert "at the same place passes every test as well as" in msg


def test_pinned_behaviour_is_not_called_weak(tmp_path: Path) -> None:
    out = _repair(tmp_path, ABOVE)
    assert out.green.candidate.edits[0].replacement == "<"
    assert out.also_green == ()
    assert weak_tests_message(out) == ""
