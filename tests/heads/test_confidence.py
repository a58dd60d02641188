"""The Confidence head: calibration metrics on hand-checkable arrays, and the `--yes` decision."""

from __future__ import annotations

import numpy as np
import pytest

from engine.heads import confidence
from engine.repair.headorder import apply_decision
from engine.repair.types import RepairResult


def test_auroc_counts_pairs() -> None:
    y = np.array([1, 1, 0, 0])
    assert confidence.auroc(np.array([0.9, 0.8, 0.2, 0.1]), y) == 1.0
    assert confidence.auroc(np.array([0.1, 0.2, 0.8, 0.9]), y) == 0.0
    assert confidence.auroc(np.array([0.9, 0.2, 0.8, 0.1]), y) == 0.75
    assert confidence.auroc(np.array([0.5, 0.5, 0.5, 0.5]), y) == 0.5


def test_ece_is_the_weighted_gap_per_bin() -> None:
    conf = np.array([0.95, 0.95, 0.15, 0.15])
    assert confidence.ece(conf, np.array([1, 1, 0, 0])) == pytest.approx(0.1)
    assert confidence.ece(conf, np.array([0, 0, 1, 1])) == pytest.approx(0.9)


def test_fit_orders_by_the_action_heads_belief_and_round_trips(tmp_path) -> None:
    rng = np.random.default_rng(0)
    p_exact = rng.uniform(0.02, 0.98, 400)
    exact = rng.uniform(size=400) < p_exact  # labels drawn from the head's own belief: calibrated
    x = np.array([confidence.features(p, 0.9, 0) for p in p_exact])
    head = confidence.fit(x, exact, threshold=0.75, trained_on="synthetic")
    conf = np.array([head.predict(p, 0.9, 0) for p in p_exact])
    assert confidence.ece(conf, exact) < 0.1 and confidence.auroc(conf, exact) > 0.7
    head.save(tmp_path / "c.json")
    again = confidence.ConfidenceHead.load(tmp_path / "c.json")
    assert again.predict(0.6, 0.9, 1) == pytest.approx(head.predict(0.6, 0.9, 1))
    assert again.threshold == 0.75


def _result(status: str, conf: float | None) -> RepairResult:
    return RepairResult(crate_root="/x", status=status, confidence=conf)  # type: ignore[arg-type]


def test_yes_applies_at_or_above_the_threshold_and_says_why_below() -> None:
    assert apply_decision(_result("fixed", 0.9), 0.75).apply
    assert apply_decision(_result("fixed", 0.75), 0.75).apply
    held = apply_decision(_result("fixed", 0.4), 0.75)
    assert not held.apply and "40%" in held.reason and "75%" in held.reason
    unrated = apply_decision(_result("fixed", None), 0.75)
    assert unrated.apply and "No confidence head" in unrated.reason
    assert not apply_decision(_result("abstained", None), 0.75).apply


def test_the_threshold_setting_round_trips_through_settings_toml(tmp_path) -> None:
    from rusta_tui.settings import load, save
    from rusta_tui.types import Settings

    assert load(tmp_path).fix_min_confidence is None  # unset: the head's own threshold applies
    save(tmp_path, Settings(fix_min_confidence=0.6))
    assert load(tmp_path).fix_min_confidence == 0.6
    assert apply_decision(_result("fixed", 0.65), load(tmp_path).fix_min_confidence).apply


def test_the_reason_never_says_a_fix_is_held_back_at_the_percentage_it_needs() -> None:
    held = apply_decision(_result("fixed", 0.9976), 1.0)
    assert not held.apply and "only 99.8% likely" in held.reason and "below the 100.0%" in held.reason
    near = apply_decision(_result("fixed", 0.7496), 0.75)
    assert not near.apply and "74.96%" in near.reason and "75.00%" in near.reason
    assert "75%" in apply_decision(_result("fixed", 0.75), 0.75).reason
