"""Statistics of a before/after timing: medians, spread, a confidence interval for the ratio, the verdict.

Pure. The harness writes pairs of samples (old, new) taken back to back; each pair's ratio new/old
cancels the load both sides shared, and the median of the ratios has a distribution-free 95% interval
from order statistics (the sign test's binomial), so no normality is assumed and no random resampling
is needed. The noise threshold is 5% or, when larger, how far an A/A control (a second copy of the old
code, timed in the same rounds) strays from 1: code placement alone moves a nanosecond fn by 10-30%.
A change counts only when the whole interval lies beyond the threshold; a median inside it, or an
interval that holds 1, is "no measurable change".
"""

from __future__ import annotations

import math
from typing import Literal

from engine.patching.types import BenchPolicy, BenchStats

NOISE = 0.05  # a change smaller than 5% is not told apart from noise (alignment, frequency, load)
MAX_SLOWDOWN = BenchPolicy().max_slowdown  # slower beyond this (the whole interval) blocks a patch
BenchVerdict = Literal["slower", "faster", "no_change", "unclear"]


def median(xs: list[float]) -> float:
    s = sorted(xs)
    n = len(s)
    return s[n // 2] if n % 2 else (s[n // 2 - 1] + s[n // 2]) / 2


def quartiles(xs: list[float]) -> tuple[float, float]:
    s = sorted(xs)
    n = len(s)

    def at(q: float) -> float:
        i = q * (n - 1)
        lo = math.floor(i)
        return s[lo] + (s[min(lo + 1, n - 1)] - s[lo]) * (i - lo)

    return at(0.25), at(0.75)


def median_interval(xs: list[float], level: float = 0.95) -> tuple[float, float]:
    """The order-statistic interval [x_(k), x_(n+1-k)] that holds the median with `level` or more."""
    s = sorted(xs)
    n = len(s)
    alpha = (1 - level) / 2
    k, cum = 0, 0.0
    while k < n:  # largest k with P(Binomial(n, 1/2) <= k - 1) <= alpha
        nxt = cum + math.comb(n, k) / 2**n
        if nxt > alpha:
            break
        cum, k = nxt, k + 1
    if k == 0:  # too few samples for the level: the whole range, said as such by its width
        return s[0], s[-1]
    return s[k - 1], s[n - k]


def spread(xs: list[float]) -> float:
    """Half the interquartile range over the median: the "±" a reader expects."""
    q1, q3 = quartiles(xs)
    m = median(xs)
    return (q3 - q1) / 2 / m if m > 0 else 0.0


def summarise(
    rounds: list[tuple[float, float, float]], *, inputs: int, reps: int, noise: float = NOISE
) -> BenchStats:
    """Rounds of (old, new, control) ns per call. The threshold is the larger of `noise` and how far
    the A/A control (the same old code, placed elsewhere) strays from 1 at either end of its interval."""
    olds, news = [r[0] for r in rounds], [r[1] for r in rounds]
    ratios = [n / o for o, n, _ in rounds if o > 0]
    controls = [c / o for o, _, c in rounds if o > 0]
    ratio = median(ratios)
    low, high = median_interval(ratios)
    c_low, c_high = median_interval(controls)
    threshold = max(noise, abs(c_low - 1), abs(c_high - 1))
    verdict: BenchVerdict
    if low > 1 + threshold:
        verdict = "slower"
    elif high < 1 - threshold:
        verdict = "faster"
    elif low <= 1 <= high or abs(ratio - 1) <= threshold:
        verdict = "no_change"
    else:
        verdict = "unclear"
    return BenchStats(
        old_ns=median(olds),
        new_ns=median(news),
        old_spread=spread(olds),
        new_spread=spread(news),
        ratio=ratio,
        low=low,
        high=high,
        control=median(controls),
        samples=len(rounds),
        inputs=inputs,
        reps=reps,
        noise=threshold,
        verdict=verdict,
    )


def _ns(x: float) -> str:
    if x >= 1e6:
        return f"{x / 1e6:.2f} ms"
    if x >= 1e3:
        return f"{x / 1e3:.2f} µs"
    return f"{x:.1f} ns" if x >= 10 else f"{x:.2f} ns"


def _times(r: float) -> str:
    return f"{r:.2f}x" if r < 10 else f"{r:.1f}x"


def describe(name: str, s: BenchStats) -> str:
    """One sentence: the verdict first, then the medians, their spread and the interval it rests on."""
    pct = (s.ratio - 1) * 100
    if s.verdict in ("slower", "faster"):
        head = f"{s.verdict}, {_times(s.ratio)} the time per call ({pct:+.0f}%)"
    elif s.verdict == "unclear":
        head = f"perhaps {pct:+.0f}%, not conclusive"
    elif abs(s.ratio - 1) <= s.noise:
        head = f"no measurable change (within the {s.noise:.0%} noise threshold)"
    else:
        head = "no measurable change (the 95% interval holds 1)"
    busy = max(s.old_spread, s.new_spread)
    note = f"; the samples spread ±{busy:.0%}, the machine was busy" if busy > 0.25 else ""
    return (
        f"bench {name}: {head}: {_ns(s.old_ns)} before (±{s.old_spread:.0%}), {_ns(s.new_ns)} after "
        f"(±{s.new_spread:.0%}); ratio {s.ratio:.3f}, 95% interval {s.low:.3f}-{s.high:.3f}, "
        f"{s.samples} interleaved samples over {s.inputs} input(s), A/A control {s.control:.3f}{note}."
    )
