"""Suggested patches in explanations: rustc's suggestions on a real crate become a diff with rustc's
applicability, and a story without a suggestion has no patch."""

from __future__ import annotations

import pytest

from engine.explain.api import explain_report
from toolbelt.types import CheckReport


@pytest.mark.slow
@pytest.mark.xdist_group("explain-engine")
@pytest.mark.parametrize(
    ("code", "applicability", "added"),
    [("E0382", "MachineApplicable", ".clone()"), ("E0596", "MachineApplicable", "let mut v")],
)
def test_rustc_suggestions_become_patches(
    mixed: CheckReport, code: str, applicability: str, added: str
) -> None:
    (e,) = [e for e in explain_report(mixed) if e.code == code]
    assert e.patch is not None and e.patch.source == "rustc"
    assert e.patch.applicability == applicability
    assert any(ln.startswith("+") and added in ln for ln in e.patch.diff.splitlines())


@pytest.mark.slow
@pytest.mark.xdist_group("explain-engine")
def test_maybe_incorrect_suggestion_keeps_its_applicability(mixed: CheckReport) -> None:
    e = next(e for e in explain_report(mixed) if e.code == "E0308" and e.primary.line == 12)
    assert e.patch is not None and e.patch.applicability == "MaybeIncorrect"
    assert "+    42.to_string()" in e.patch.diff


@pytest.mark.slow
@pytest.mark.xdist_group("explain-engine")
def test_no_suggestion_no_patch(mixed: CheckReport) -> None:
    e = next(e for e in explain_report(mixed) if e.code == "E0502")
    assert e.patch is None
