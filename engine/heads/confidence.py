"""The Confidence head: the calibrated probability that a green fix is the one a developer would write.

Green means the compiler and the tests accept the edit; that is not the same as right (a `.clone()`
where a borrow was meant, an `unwrap()` where a `?` was). In the gym, "right" is the exact restore of
the original code. This head maps what the Action head said about the green candidate (its
P(exact), its P(compiles), how far down the order it was found) to that probability with a logistic
regression fitted on the dev split (Platt scaling on the Action head's own outputs, cross-fitted so
the Action head never scores episodes it was fitted on). `--yes` applies a fix at or above
`threshold`, stored with the weights (issue 15's exact-restore target, 0.75); a user's settings may
override it.
"""

from __future__ import annotations

import functools
import math
from pathlib import Path

import msgspec
import numpy as np

from engine.heads.action import fit_logistic, sigmoid

VERSION = 1
WEIGHTS = Path(__file__).parent / "weights" / "confidence.json"
FEATURES = ("logit_p_exact", "logit_p_compile", "log_rank")


class ConfidenceWeights(msgspec.Struct, frozen=True, kw_only=True, forbid_unknown_fields=True):
    version: int = VERSION
    features: tuple[str, ...] = FEATURES
    weights: tuple[float, ...]
    bias: float
    threshold: float  # `--yes` applies at or above this
    threshold_rule: str  # how it was chosen, in words
    trained_on: str


_decoder = msgspec.json.Decoder(ConfidenceWeights)
_encoder = msgspec.json.Encoder()


def _logit(p: float) -> float:
    p = min(max(p, 1e-4), 1 - 1e-4)
    return math.log(p / (1 - p))


def features(p_exact: float, p_compile: float, rank: int) -> list[float]:
    return [_logit(p_exact), _logit(p_compile), math.log1p(rank)]


class ConfidenceHead:
    def __init__(self, weights: ConfidenceWeights) -> None:
        if weights.version != VERSION or tuple(weights.features) != FEATURES:
            raise ValueError("confidence head weights do not match this code's features")
        self.weights = weights
        self._w = np.asarray(weights.weights)

    @classmethod
    def load(cls, path: Path = WEIGHTS) -> ConfidenceHead:
        return cls(_decoder.decode(path.read_bytes()))

    def save(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(_encoder.encode(self.weights) + b"\n")

    @property
    def threshold(self) -> float:
        return self.weights.threshold

    def predict(self, p_exact: float, p_compile: float, rank: int) -> float:
        z = float(np.asarray(features(p_exact, p_compile, rank)) @ self._w + self.weights.bias)
        return float(sigmoid(np.asarray(z)))


@functools.cache
def shipped_confidence() -> ConfidenceHead | None:
    try:
        return ConfidenceHead.load()
    except (OSError, ValueError, msgspec.DecodeError):
        return None


def fit(x_Nx3: np.ndarray, exact_N: np.ndarray, *, threshold: float, trained_on: str) -> ConfidenceHead:
    """Fit the calibration on (features, exact) of top green candidates. `threshold` is a policy, not
    a fitted value: with a calibrated head, "apply when P(exact) >= t" keeps each applied fix at
    least t likely to be the developer's; the report says what it covers on each split."""
    w, b = fit_logistic(x_Nx3, exact_N.astype(float), l2=1.0)
    return ConfidenceHead(
        ConfidenceWeights(
            weights=tuple(round(float(v), 6) for v in w),
            bias=round(b, 6),
            threshold=threshold,
            threshold_rule=f"apply when the calibrated P(exact) >= {threshold}",
            trained_on=trained_on,
        )
    )


def ece(conf_N: np.ndarray, y_N: np.ndarray, bins: int = 10) -> float:
    """Expected calibration error over equal-width bins."""
    if len(conf_N) == 0:
        return float("nan")
    idx = np.minimum((conf_N * bins).astype(int), bins - 1)
    total = 0.0
    for b in range(bins):
        m = idx == b
        if m.any():
            total += m.sum() / len(conf_N) * abs(float(conf_N[m].mean()) - float(y_N[m].mean()))
    return total


def auroc(score_N: np.ndarray, y_N: np.ndarray) -> float:
    """Probability that a random positive outranks a random negative (ties count half)."""
    pos, neg = score_N[y_N.astype(bool)], score_N[~y_N.astype(bool)]
    if len(pos) == 0 or len(neg) == 0:
        return float("nan")
    greater = (pos[:, None] > neg[None, :]).sum() + 0.5 * (pos[:, None] == neg[None, :]).sum()
    return float(greater / (len(pos) * len(neg)))
