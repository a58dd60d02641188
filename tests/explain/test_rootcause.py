"""Root-cause localization on real rustc output: the move before the use, the declaration that fixed
the expected type, the bound that demands a trait, the binding to make `mut`, the live borrow."""

from __future__ import annotations

import pytest

from engine.explain.api import explain_report
from engine.explain.rootcause import PRIMARY_REASON, locate
from engine.explain.types import Explanation
from toolbelt.types import CheckReport, Diagnostic

pytestmark = [pytest.mark.slow, pytest.mark.xdist_group("explain-engine")]


def _by_code(report: CheckReport) -> dict[str, list[Explanation]]:
    out: dict[str, list[Explanation]] = {}
    for e in explain_report(report):
        out.setdefault(e.code or "", []).append(e)
    return out


@pytest.mark.parametrize(
    ("code", "primary_line", "root_line", "root_label_part"),
    [
        ("E0382", 3, 2, "value moved here"),
        ("E0596", 20, 19, "mutable"),
        ("E0384", 22, 21, "mutable"),
        ("E0502", 29, 28, "immutable borrow occurs here"),
        ("E0277", 34, 33, "required by this bound"),
    ],
)
def test_root_cause_is_where_the_problem_starts(
    mixed: CheckReport, code: str, primary_line: int, root_line: int, root_label_part: str
) -> None:
    """Through the public API, so the KB entry's chosen strategy is what is tested."""
    (e,) = _by_code(mixed)[code]
    assert e.primary.line == primary_line
    assert e.root_cause.line == root_line
    assert root_label_part in (e.root_cause.label or "") or root_label_part in e.root_cause_reason
    assert e.root_cause_reason != PRIMARY_REASON


def _diag(report: CheckReport, code: str, line: int) -> Diagnostic:
    return next(
        d
        for d in report.diagnostics
        if d.code_str == code and d.primary is not None and d.primary.line_start == line
    )


def test_expected_type_comes_from_the_annotation_or_the_return_type(mixed: CheckReport) -> None:
    loc, _ = locate(_diag(mixed, "E0308", 7), "expected_due_to")
    assert (loc.line, loc.column, loc.label) == (7, 12, "expected due to this")
    loc, reason = locate(_diag(mixed, "E0308", 12), "expected_due_to")
    assert (
        loc.line == 11
        and "because of return type" in (loc.label or "")
        and "expected type comes from" in reason
    )


def test_argument_mismatch_is_never_placed_at_the_callee_signature(cascade: CheckReport) -> None:
    d = _diag(cascade, "E0308", 29)
    loc, _ = locate(d, "expected_due_to")
    assert loc.line != 23  # fn width(s: &str) states what it expects; it is not the mistake
    loc, reason = locate(d, "expected_due_to", cascade.crate_root)
    assert loc.line == 29 and "argument" in reason


def test_suggestion_strategy_points_at_rustcs_change(mixed: CheckReport) -> None:
    loc, reason = locate(_diag(mixed, "E0308", 12), "suggestion_at")
    assert (loc.line, loc.column) == (12, 7) and "conversion method" in reason


def test_every_strategy_returns_a_location_inside_the_crate(mixed: CheckReport, cascade: CheckReport) -> None:
    from engine.explain.rootcause import STRATEGIES

    for d in (*mixed.diagnostics, *cascade.diagnostics):
        for name in STRATEGIES:
            loc, reason = locate(d, name)
            assert loc.line > 0 and loc.file.startswith("src/") and reason


def test_no_strategy_match_falls_back_to_primary_and_says_so(mixed: CheckReport) -> None:
    (e,) = _by_code(mixed)["E0599"]
    assert (e.root_cause.line, e.root_cause.column) == (e.primary.line, e.primary.column) == (16, 20)
    assert e.root_cause_reason == PRIMARY_REASON


def test_unknown_strategy_or_no_match_is_primary(mixed: CheckReport) -> None:
    d = next(d for d in mixed.diagnostics if d.code_str == "E0599")
    loc, reason = locate(d, "moved_at")
    assert (loc.line, reason) == (16, PRIMARY_REASON)


def test_macro_spans_walk_back_to_the_users_call(demo: CheckReport) -> None:
    for e in explain_report(demo):
        assert not e.primary.file.startswith("/"), e
        assert not e.root_cause.file.startswith("/"), e
