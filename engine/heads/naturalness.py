"""How natural an edit reads to the byte LM: the bits it adds to the code around it.

Why a head and not a call into the LM from repair: the LM is a scorer of bytes, and what repair
needs is one number per candidate edit, measured the same way every time (each region scored as a
document of its own, before and after, in one batch). Keeping that here leaves `engine.repair`
free of model code and lets the measure be tested on bytes alone.
"""

from __future__ import annotations

import functools
import math
from typing import Protocol

import numpy as np


class Scorer(Protocol):
    def score_batch(self, candidates: list[bytes]) -> list[np.ndarray]: ...


@functools.cache
def shipped_lm() -> Scorer | None:
    """The shipped byte LM, loaded once per process (numpy only, about half a second); None when
    there is no usable checkpoint, so callers keep their own order (`rusta doctor` says why)."""
    from engine.bytelm.errors import ByteLMError
    from engine.bytelm.infer import LM

    try:
        return LM.load()
    except (ByteLMError, OSError, ValueError):
        return None


def delta_bits(regions: list[tuple[bytes, bytes]], lm: Scorer) -> list[float]:
    """For each (before, after) region: bits(after) - bits(before); negative reads more natural."""
    if not regions:
        return []
    scored = lm.score_batch([b for b, _ in regions] + [a for _, a in regions])
    n = len(regions)
    return [float(scored[n + k].sum() - scored[k].sum()) / -math.log(2) for k in range(n)]
