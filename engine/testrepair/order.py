"""Which grammar edit to validate first: the Action head (`engine.heads.action`), fitted on the semantic
gym's dev episodes for test repair.

A candidate becomes a CandidateView: the family is the grammar kind (`test-repair:int+1`), the message
is what the failing tests' panics said (an index out of bounds reads differently from a left/right
mismatch), the prior is the localization's P(line) discounted by the edit's place among its line's
alternatives, `site` is where the line stands in the localization (`primary`: the top line, `span`:
the top 5, `same-file`: below), and the LM's delta bits when the LM is on. Only P(exact restore) is
learned: whether a grammar edit compiles or turns the tests green is not known without cargo, while
whether it restores the original is known for every candidate of every gym episode. The head's
`compile` and `clean` regressions are constant, so its grade orders by P(exact) alone.

Without weights (or with the LM off and no weights fitted without it) the prior order stands.
"""

from __future__ import annotations

import functools
from collections.abc import Sequence
from pathlib import Path

import numpy as np

from engine.heads.action import ActionHead, ActionWeights, FeatureSpec, Logistic
from engine.heads.types import CandidateView
from engine.testrepair.types import Mutant
from toolbelt.types import TestResult

WEIGHTS_DIR = Path(__file__).parent


def action_path(with_lm: bool) -> Path:
    return WEIGHTS_DIR / ("action.json" if with_lm else "action_no_lm.json")


@functools.cache
def shipped_action(with_lm: bool) -> ActionHead | None:
    try:
        return ActionHead.load(action_path(with_lm))
    except (OSError, ValueError):
        return None


def failure_words(failing: Sequence[TestResult]) -> str:
    """What the failing tests' panics said, as one message: the head reads its words."""
    out = []
    for t in failing[:4]:
        f = t.failure
        if f is not None:
            out.append(f"{f.kind} {f.message[:120]}")
    return " ".join(out) or "test failed"


def _site(line_rank: int) -> str:
    return "primary" if line_rank == 0 else "span" if line_rank < 5 else "same-file"


def views(
    cands: Sequence[tuple[Mutant, float, int]],
    message: str,
    lm_delta: Sequence[float | None],
) -> list[CandidateView]:
    """(mutant, prior, line rank) in the prior order -> the head's views."""
    return [
        CandidateView(
            code="test",
            message=message,
            source="template",
            family=f"test-repair:{m.kind}",
            applicability="Unspecified",
            prior=round(prior, 6),
            prior_rank=i,
            n_candidates=len(cands),
            n_edits=1,
            n_files=1,
            inserted=m.after,
            removed=m.before,
            site=_site(rank),  # type: ignore[arg-type]
            lm_delta_bits=d,
        )
        for i, ((m, prior, rank), d) in enumerate(zip(cands, lm_delta, strict=True))
    ]


def head_from_exact(exact: Logistic, spec: FeatureSpec, trained_on: str) -> ActionHead:
    """An Action head whose grade is P(exact): compile and clean are constant (-30 bias: P ~ 0)."""
    off = Logistic(weights=(0.0,) * spec.width, bias=-30.0, l2=0.0)
    return ActionHead(ActionWeights(spec=spec, compile=off, clean=off, exact=exact, trained_on=trained_on))


def head_order(head: ActionHead, vs: list[CandidateView]) -> list[int]:
    order, _, _ = head.rank(vs)
    return order


def exact_probabilities(head: ActionHead, vs: list[CandidateView]) -> np.ndarray:
    return head.predict(vs)[1]
