"""Rank the crate's lines of library code by how likely they hold the bug that makes tests fail.

The signals (`engine.testrepair.signals`) are combined by a logistic model fitted on the semantic
gym's dev crates (`engine.testrepair.fit`, shipped as weights.json / weights_no_lm.json); without
the LM the model fitted without that signal is used, not the full one with a zero in its place.
"""

from __future__ import annotations

import functools
import math
from collections.abc import Mapping, Sequence
from pathlib import Path

import msgspec
import numpy as np

from engine.heads.naturalness import Scorer
from engine.testrepair.coverage import Spectra
from engine.testrepair.errors import TestRepairError
from engine.testrepair.signals import Line, lines_with_features
from engine.testrepair.types import FEATURES, Localization, Suspect, Weights
from toolbelt.types import TestResult

WEIGHTS_DIR = Path(__file__).parent
_DEC = msgspec.json.Decoder(Weights)


def weights_path(with_lm: bool) -> Path:
    return WEIGHTS_DIR / ("weights.json" if with_lm else "weights_no_lm.json")


@functools.cache
def shipped_weights(with_lm: bool) -> Weights:
    path = weights_path(with_lm)
    try:
        w = _DEC.decode(path.read_bytes())
    except (OSError, msgspec.DecodeError, msgspec.ValidationError) as e:
        raise TestRepairError(f"cannot read the localization weights {path.name}: {e}.") from e
    if len(w.coef) != len(w.features) or any(f not in FEATURES for f in w.features):
        raise TestRepairError(f"the localization weights {path.name} do not match this version's signals.")
    return w


def matrix(lines: Sequence[Line], features: Sequence[str] = FEATURES) -> np.ndarray:
    """The lines' features as an array, rows in `lines` order, columns in `features` order."""
    return np.array([[ln.x[f] for f in features] for ln in lines], np.float64).reshape(
        len(lines), len(features)
    )


def probabilities(lines: Sequence[Line], w: Weights) -> np.ndarray:
    z = matrix(lines, w.features) @ np.asarray(w.coef, np.float64) + w.intercept
    return 1.0 / (1.0 + np.exp(-z))


def rank_lines(lines: Sequence[Line], scores: np.ndarray) -> list[int]:
    """Indices of `lines`, best first; ties keep source order (file, line)."""
    return sorted(range(len(lines)), key=lambda i: (-scores[i], lines[i].file, lines[i].line))


def localize(
    files: Mapping[str, bytes],
    failing: Sequence[TestResult],
    passing: Sequence[str],
    *,
    lm: Scorer | None,
    weights: Weights | None = None,
    limit: int = 50,
    spectra: Spectra | None = None,
) -> Localization:
    """The `limit` most suspect lines of library code for these failing and passing tests
    (`spectra`: the measured coverage, when a probed build ran)."""
    lines = lines_with_features(files, failing, passing, lm, spectra)
    w = weights or shipped_weights(lm is not None)
    p = probabilities(lines, w) if lines else np.zeros(0)
    order = rank_lines(lines, p)[:limit]
    framed = any(ln.x["frame_line"] > 0 for ln in lines)
    if spectra is not None:
        ran = sum(1 for ln in lines if ln.x["cov_fail"] > 0)
        where = (
            f"{ran} ran in the failing tests (coverage measured with probes, "
            f"{spectra.failing} failing and {spectra.passing} passing tests traced)"
        )
    else:
        reached = sum(1 for ln in lines if ln.x["reach"] > 0)
        where = (
            f"{reached} in functions the failing tests reach through the call graph read from the "
            "source (a static proxy for coverage: the probed build did not run)"
        )
    note = (
        f"{len(lines)} lines of library code; {where}"
        + ("; a backtrace frame points into the library" if framed else "")
        + ("; the byte LM's surprisal weighed in" if lm is not None and "lm" in w.features else "")
        + "."
    )
    return Localization(
        suspects=tuple(
            Suspect(
                file=lines[i].file,
                line=lines[i].line,
                function=lines[i].fn.name,
                text=lines[i].text,
                score=round(float(p[i]), 6) if math.isfinite(p[i]) else 0.0,
                features=tuple(round(lines[i].x[f], 4) for f in FEATURES),
            )
            for i in order
        ),
        failing=tuple(t.name for t in failing),
        passing=len(passing),
        used_lm=lm is not None,
        note=note,
    )
