"""A compiler probe's answer is a fact only when it is a type and does not contradict what rustc
said of the same expression (an `if` without `else` is `()`, whatever the probe infers there)."""

from __future__ import annotations

from pathlib import Path

import pytest

from engine.explain.api import explain_report
from engine.explain.probes import _is_type
from tests.explain.crates import write_lib
from toolbelt.cargo_run import run_check

IF_WITHOUT_ELSE = """pub fn discount(total: u32, member: bool) -> u32 {
    let d = if member {
        total / 10
    };
    total - d
}
"""


def test_stand_in_words_are_not_types() -> None:
    assert all(_is_type(t) for t in ("u32", "Vec<String>", "&str", "()", "{integer}", "String"))
    assert not any(_is_type(t) for t in ("future", "closure", ""))


@pytest.mark.slow
def test_a_probe_never_contradicts_rustcs_found_type(tmp_path: Path) -> None:
    root = write_lib(tmp_path, "ifelse", IF_WITHOUT_ELSE)
    (e,) = [e for e in explain_report(run_check(root), probe=True) if e.level == "error"]
    assert "expected `u32`, found `()`" in e.facts
    assert not any("compiler probe" in f and "is `u32`" in f for f in e.facts), e.facts
