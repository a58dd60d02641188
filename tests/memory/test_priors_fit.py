"""The priors' weights are data: the shipped file, the report it came with, and the fit that made them.

The fit is run here on small synthetic gym episodes where the answer is known; the shipped weights
are checked against the report the fit wrote on the real dev and held-out episodes.
"""

from __future__ import annotations

import json

import msgspec

from engine.edits import Edit
from engine.memory import fit as fitting
from engine.memory.priors import WEIGHTS, PriorWeights, adjustment, shipped
from engine.memory.types import FamilyPref, Memory
from engine.repair.types import Candidate


def cand(family: str, text: str = "&") -> Candidate:
    edit = Edit(file="src/lib.rs", start=0, end=0, replacement=text)
    return Candidate(id=family, edits=(edit,), description="", source="template", family=family)


def test_the_shipped_weights_are_the_fitted_ones_and_not_worse_held_out() -> None:
    w = shipped()
    assert w == msgspec.json.decode(WEIGHTS.read_bytes(), type=PriorWeights)
    report = json.loads(fitting.REPORT.read_text())
    assert report["weights"] == msgspec.to_builtins(w)
    assert w.refusals == 2  # the promise: refused twice, not proposed again without saying why
    held = report["held-out crates"]
    for pop in ("restore only", "with a taste"):
        # the memory may not make held-out proposals worse than no memory at all
        assert (
            held["fitted"][pop]["proposal suits the user"]
            >= held["no memory"][pop]["proposal suits the user"]
        )


def test_no_evidence_is_no_adjustment_whatever_the_priors() -> None:
    m = Memory(prefs=(FamilyPref(code="E0382", family="clone"),))
    for w in (PriorWeights(), PriorWeights(keep_prior=4.0, refuse_prior=0.5)):
        assert adjustment(m, "E0382", "clone", w) == 0.0
        assert adjustment(m, "E0382", "other", w) == 0.0
    kept = Memory(prefs=(FamilyPref(code="E0382", family="clone", kept=3),))
    assert 0 < adjustment(kept, "E0382", "clone", PriorWeights(max_adj=0.5)) <= 0.5


def test_the_fit_learns_to_move_a_family_the_user_keeps_refusing() -> None:
    """A crate where rustc's clone compiles first but is never what the author wrote; the borrow is.
    Without memory every proposal is the clone; the fitted weights learn to pass it over."""
    cands = (cand("rustc:clone", ".clone()"), cand("op:borrow", "&"))
    ep = fitting.Ep(
        code="E0382",
        cands=cands,
        compiles=frozenset({"rustc:clone", "op:borrow"}),
        exact=frozenset({"op:borrow"}),
    )
    data = {"demo": [ep] * 12}
    none = fitting.score(data, {}, None)["restore only"]["proposal is exact"]
    assert none == 0.0
    w = fitting.fit(data, {}, passes=2)
    got = fitting.score(data, {}, w)["restore only"]["proposal is exact"]
    assert got > 0.8, (w, got)
    # the simulated user is deterministic: the same weights score the same
    assert fitting.score(data, {}, w) == fitting.score(data, {}, w)
