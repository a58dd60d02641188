"""The statistics of a before/after timing, on made-up samples (no cargo, no clock)."""

from __future__ import annotations

import math
import random

from engine.proofs.bench_stats import describe, median, median_interval, summarise


def _rounds(
    ratio: float, jitter: float, n: int = 31, seed: int = 7, control: float = 1.0
) -> list[tuple[float, ...]]:
    """(old, new, control) with a shared load factor (what interleaving cancels) and jitter per side."""
    rng = random.Random(seed)
    out = []
    for _ in range(n):
        load = rng.uniform(1.0, 3.0)
        out.append(
            tuple(10.0 * r * load * rng.uniform(1 - jitter, 1 + jitter) for r in (1.0, ratio, control))
        )
    return out


def test_the_median_interval_is_the_sign_tests_order_statistics() -> None:
    xs = [float(i) for i in range(1, 32)]  # n = 31: the 95% interval is [x_(10), x_(22)]
    assert median(xs) == 16.0
    assert median_interval(xs) == (10.0, 22.0)
    # it holds the median with at least 95%: P(Binomial(31, 1/2) <= 9) <= 2.5% < P(... <= 10)
    below = sum(math.comb(31, k) for k in range(10)) / 2**31
    assert below <= 0.025 < below + math.comb(31, 10) / 2**31
    assert median_interval([1.0, 2.0, 3.0]) == (1.0, 3.0)  # too few samples: the whole range


def test_a_tenfold_slowdown_under_heavy_shared_load_is_slower_with_a_tight_interval() -> None:
    s = summarise(_rounds(10.0, 0.1), inputs=64, reps=8)
    assert s.verdict == "slower" and 8 < s.low <= s.ratio <= s.high < 12
    assert s.old_spread > 0.2  # the load makes each side spread widely, the paired ratio does not
    assert describe("mix", s).startswith("bench mix: slower, ")


def test_the_same_code_is_no_measurable_change_and_a_small_shift_stays_within_noise() -> None:
    same = summarise(_rounds(1.0, 0.1), inputs=64, reps=8)
    assert same.verdict == "no_change" and same.low <= 1 <= same.high
    assert "no measurable change" in describe("f", same)
    small = summarise(_rounds(1.03, 0.01), inputs=64, reps=8)  # a real 3%: measurable, but under 5%
    assert small.verdict == "no_change" and small.low > 1
    assert "within the 5% noise threshold" in describe("f", small)


def test_faster_and_unclear() -> None:
    assert summarise(_rounds(0.5, 0.1), inputs=1, reps=1).verdict == "faster"
    # +12% in the median, but an interval (1.03-1.21) that reaches into the 5% noise band
    ratios = [0.9 + i * 0.44 / 30 for i in range(31)]
    s = summarise([(10.0, 10.0 * r, 10.0) for r in ratios], inputs=1, reps=1)
    assert s.verdict == "unclear" and 1 < s.low < 1.05 and round(s.ratio, 2) == 1.12
    assert describe("f", s).startswith("bench f: perhaps +12%, not conclusive")


def test_an_a_a_control_that_strays_raises_the_threshold_it_is_judged_by() -> None:
    """The same code placed elsewhere runs 20% slower here: a new version 15% slower is not a finding."""
    s = summarise(_rounds(1.15, 0.01, control=1.2), inputs=1, reps=1)
    assert s.low > 1.1 and 0.2 < s.noise < 0.25 and round(s.control, 1) == 1.2
    assert s.verdict == "no_change" and "noise threshold" in describe("f", s)
    assert summarise(_rounds(1.15, 0.01), inputs=1, reps=1).verdict == "slower"  # without the stray control
