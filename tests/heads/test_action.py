"""The Action head fits, ranks and round-trips on real gym samples (tests/fixtures/heads/samples.jsonl).

The fixture is a slice of what `python -m engine.gym.headdata --split dev` wrote: candidates of dev
crates' episodes, each validated with cargo and labelled. Held-out crates are not in it.
"""

from __future__ import annotations

from pathlib import Path

import msgspec
import numpy as np
import pytest

from engine.heads import action
from engine.heads.fit import dedupe, episodes, first_green, orders, read_samples
from engine.heads.types import CandidateView

SAMPLES = Path(__file__).parents[1] / "fixtures" / "heads" / "samples.jsonl"


@pytest.fixture(scope="module")
def samples():
    return dedupe(read_samples(SAMPLES))


def _fit(samples, l2=None) -> action.ActionHead:
    return action.fit(
        [s.view for s in samples],
        np.array([s.compiles for s in samples]),
        np.array([s.clean for s in samples]),
        np.array([s.exact for s in samples]),
        np.array([s.episode for s in samples]),
        l2=l2,
        l2_grid=(1.0, 10.0),
    )


def test_the_fixture_is_dev_data_with_both_labels(samples) -> None:
    assert {s.split for s in samples} == {"dev"} and 7 not in {s.seed for s in samples}
    assert any(s.compiles for s in samples) and not all(s.compiles for s in samples)
    assert any(s.exact for s in samples) and not all(s.exact for s in samples)


def test_fitted_head_orders_unseen_episodes_better_than_chance(samples) -> None:
    """Fit on three folds of episodes, rank the fourth: the first green comes sooner than in a
    random order, and the probabilities are probabilities."""
    fold = action.folds(np.array([s.episode for s in samples]))
    train = [s for s, f in zip(samples, fold, strict=True) if f != 0]
    test = [s for s, f in zip(samples, fold, strict=True) if f == 0]
    head = _fit(train, l2={"compile": 3.0, "clean": 3.0, "exact": 3.0})
    p = head.probabilities([s.view for s in test])
    assert all(np.all((v > 0) & (v < 1)) for v in p.values())
    by = orders(test, p)

    def mean_validations(name: str) -> float:
        hits = [first_green(o, test) for o in by[name].values()]
        return float(np.mean([h[0] + 1 for h in hits if h is not None]))

    assert len(episodes(test)) >= 10
    assert mean_validations("head") < mean_validations("random")
    assert mean_validations("head") <= mean_validations("prior")


def test_save_and_load_round_trip(samples, tmp_path) -> None:
    head = _fit(samples)  # the ridge chosen by grouped cross-validation, then saved with the weights
    assert head.weights.clean.l2 in (1.0, 10.0)
    path = tmp_path / "action.json"
    head.save(path)
    again = action.ActionHead.load(path)
    views = [s.view for s in samples[:20]]
    for a, b in zip(head.predict(views), again.predict(views), strict=True):
        np.testing.assert_allclose(a, b, atol=1e-5)
    assert again.rank(views)[0] == head.rank(views)[0]
    raw = msgspec.json.decode(path.read_bytes())
    assert raw["version"] == action.VERSION and raw["spec"]["dim"] == head.spec.dim
    with pytest.raises(ValueError, match="version"):
        action.ActionHead(msgspec.structs.replace(head.weights, version=action.VERSION + 1))
    short = msgspec.structs.replace(head.weights.compile, weights=head.weights.compile.weights[:-1])
    with pytest.raises(ValueError, match="spec"):
        action.ActionHead(msgspec.structs.replace(head.weights, compile=short))


def test_shipped_weights_load_and_say_what_they_were_fitted_on() -> None:
    head = action.shipped_head()
    assert head is not None, "engine/heads/weights/action.json must load"
    assert head.weights.trained_on.startswith("dev split")
    assert len(head.weights.compile.weights) == head.spec.width


def test_a_head_names_the_operators_it_never_saw(samples) -> None:
    head = _fit(samples)
    fams = sorted({s.view.family for s in samples})
    assert list(head.weights.families) == fams
    assert head.unseen(fams) == [] and head.unseen([fams[0], "never-fitted"]) == ["never-fitted"]
    # Weights fitted before the families were recorded answer from the hashed `fam:` slot: every slot
    # of a seen family carries a weight; one no training row used is exactly 0.
    legacy = action.ActionHead(msgspec.structs.replace(head.weights, families=()))
    assert legacy.unseen(fams) == []
    empty = [
        f"never-{i}"
        for i in range(200)
        if not any(w[action._slot(f"fam:never-{i}", head.spec.dim)] for w in legacy._w.values())
    ]
    assert empty and legacy.unseen(empty) == empty
    assert action.RandomOrder().unseen(["never-fitted"]) == []


def _view(**kw) -> CandidateView:
    base = dict(
        code="E0308", message="mismatched types", expected="String", found="&str", source="template",
        family="op:to-owned", applicability="Unspecified", prior=0.7, prior_rank=0, n_candidates=2,
        n_edits=1, n_files=1, inserted=".to_string()", removed="", site="primary",
    )  # fmt: skip
    return CandidateView(**(base | kw))


def test_features_are_general_words_and_stable_slots() -> None:
    v = _view()
    words = action.strings(v)
    assert "code:E0308" in words and "ins:to_string" in words and "rel:ehead:String" in words
    assert "rel:fref:&" in words and "shape:insert" in words
    x1 = action.featurize([v], action.FeatureSpec())
    x2 = action.featurize([v], action.FeatureSpec())
    assert np.array_equal(x1, x2) and x1.shape == (1, action.FeatureSpec().width)
    assert action.relation_words("u64", "u32") == [
        "eref:-", "fref:-", "ehead:num", "fhead:num", "both-numeric",
    ]  # fmt: skip


def test_random_order_is_a_permutation_and_repeatable() -> None:
    views = [_view(prior_rank=i, inserted=f".m{i}()") for i in range(6)]
    idx, pc, pe = action.RandomOrder(seed=3).rank(views)
    assert sorted(idx) == list(range(6)) and pc is None and pe is None
    assert action.RandomOrder(seed=3).rank(views)[0] == idx


def test_error_counts_are_features_only_where_the_spec_turns_them_on() -> None:
    """Weights fitted before the error counts (the test-repair head's) keep their features; a spec
    with the "errors" group tells one error from many, and one without the LM says it needs none."""
    one, many = _view(n_errors=1, n_same_code=1), _view(n_errors=20, n_same_code=12)
    old = action.FeatureSpec()
    assert np.array_equal(action.featurize([one], old), action.featurize([many], old))
    new = action.FeatureSpec(numeric=action.NUMERIC_ERRORS_NO_LM, groups=("errors",))
    assert "errs:many|op:to-owned" in action.strings(many, new.groups)
    assert "errs:one" in action.strings(one, new.groups) and "errs:unknown" in action.strings(
        _view(), new.groups
    )
    x = action.featurize([one, many], new)
    assert x.shape == (2, new.width) and not np.array_equal(x[0], x[1])
    assert old.uses_lm and action.FeatureSpec(numeric=action.NUMERIC_ERRORS, groups=("errors",)).uses_lm
    assert not new.uses_lm and not action.RandomOrder().uses_lm


def test_a_head_learns_that_one_name_cannot_clear_many_errors() -> None:
    """Synthetic views, labels by the rule the gym records: one imported name clears the crate only
    when it had one error; a glob clears it either way. With the error count the head ranks the glob
    first where errors are many and the single name first where there is one; without it, it cannot."""
    views, clean, exact, groups = [], [], [], []
    for ep in range(40):
        n = 1 if ep % 2 else 8 + ep
        single = _view(
            code="E0412", family="rustc:MaybeIncorrect", source="rustc", inserted="use std::a::A;\n",
            prior=0.9, prior_rank=0, n_errors=n, n_same_code=n,
        )  # fmt: skip
        glob = _view(
            code="E0412", family="use-glob", source="template", inserted="use crate::m::*;\n",
            prior=0.6, prior_rank=1, n_errors=n, n_same_code=n,
        )  # fmt: skip
        views += [single, glob]
        clean += [n == 1, True]
        exact += [n == 1, False]
        groups += [ep, ep]
    spec = action.FeatureSpec(numeric=action.NUMERIC_ERRORS_NO_LM, groups=("errors",))
    ys = np.array(clean), np.array(exact)
    head = action.fit(views, np.ones(len(views), bool), *ys, np.array(groups), spec=spec, l2_grid=(1.0,))
    assert head.rank(views[:2])[0][0] == 1  # ep 0: 8 errors, the glob first
    assert head.rank(views[2:4])[0][0] == 0  # ep 1: one error, the single name first
