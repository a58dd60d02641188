"""Fit the test-repair Action head (`engine.testrepair.order`) on the semantic gym's dev episodes.

For each episode: localize as `rusta fix` does (measured coverage, the shipped localization weights),
take the grammar edits on the top lines in the prior order, and label each by whether it restores the
original file byte for byte. The head's P(exact) is a ridge logistic regression on the head's own
features (`engine.heads.action.featurize`), its ridge chosen by episode-grouped cross-validation.
Reported: how often the exact edit is among the first 1/4/16 tried, in the prior order and in the
head's, in-sample and leave-one-crate-out (the honest dev number).

    python -m engine.testrepair.fit_order engine/testrepair/data/dev-episodes.jsonl [--write]
"""

from __future__ import annotations

import argparse
from collections.abc import Sequence
from pathlib import Path

import msgspec
import numpy as np

from engine.edits import apply_edits
from engine.gym.semantic import SemanticEpisode, load, pristine
from engine.heads.action import ActionHead, FeatureSpec, Logistic, choose_l2, featurize, fit_logistic
from engine.heads.naturalness import Scorer, shipped_lm
from engine.heads.types import CandidateView
from engine.testrepair.fit import episode_inputs
from engine.testrepair.localize import localize
from engine.testrepair.order import action_path, failure_words, head_from_exact, head_order, views
from engine.testrepair.search import pool

Rows = tuple[list[CandidateView], np.ndarray, str]  # views in prior order, exact labels, crate


def episode_rows(ep: SemanticEpisode, lm: Scorer | None) -> Rows:
    files, spectra = episode_inputs(ep)
    loc = localize(files, ep.failing, ep.passing, lm=lm, spectra=spectra)
    raw, deltas = pool(loc, files, lm=lm)
    rel = ep.mutant.edit.file
    original = pristine(ep.crate)[rel]
    y = np.array(
        [m.edit.file == rel and apply_edits(files[rel], [m.edit]) == original for m, _, _ in raw], float
    )
    return views(raw, failure_words(ep.failing), deltas), y, ep.crate


def fit_head(rows: Sequence[Rows], what: str) -> ActionHead:
    spec = FeatureSpec()
    vs = [v for r in rows for v in r[0]]
    y = np.concatenate([r[1] for r in rows])
    groups = np.concatenate([np.full(len(r[0]), i) for i, r in enumerate(rows)])
    x = featurize(vs, spec)
    l2 = choose_l2(x, y, groups, (0.3, 1.0, 3.0, 10.0, 30.0))
    w, b = fit_logistic(x, y, l2)
    exact = Logistic(weights=tuple(round(float(v), 6) for v in w), bias=round(b, 6), l2=l2)
    return head_from_exact(exact, spec, what)


def exact_place(row: Rows, head: ActionHead | None) -> int | None:
    vs, y, _ = row
    order = head_order(head, vs) if head is not None else list(range(len(vs)))
    return next((k for k, i in enumerate(order) if y[i] > 0), None)


def within(places: Sequence[int | None], ks: Sequence[int] = (1, 4, 16)) -> dict[str, float]:
    n = max(1, len(places))
    return {f"first{k}": round(sum(p is not None and p < k for p in places) / n, 3) for k in ks}


def report(rows: Sequence[Rows], full: ActionHead) -> dict[str, dict[str, float]]:
    out = {
        "prior order": within([exact_place(r, None) for r in rows]),
        "head (in-sample)": within([exact_place(r, full) for r in rows]),
    }
    loco: list[int | None] = []
    for c in sorted({r[2] for r in rows}):
        train = [r for r in rows if r[2] != c]
        if train:
            h = fit_head(train, "")
            loco += [exact_place(r, h) for r in rows if r[2] == c]
    out["head (leave-one-crate-out)"] = within(loco)
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(
        prog="python -m engine.testrepair.fit_order", description=__doc__.splitlines()[0]
    )
    ap.add_argument("episodes", type=Path, nargs="+")
    ap.add_argument("--write", action="store_true", help="write action.json and action_no_lm.json")
    a = ap.parse_args(argv)
    dev = [e for p in a.episodes for e in load(p) if e.split == "dev"]
    crates = sorted({e.crate for e in dev})
    what = (
        f"P(exact) only: {len(dev)} semantic gym episodes on {len(crates)} dev crates ({', '.join(crates)})"
    )
    for with_lm, lm in ((True, shipped_lm()), (False, None)):
        rows = [episode_rows(e, lm) for e in dev]
        head = fit_head(rows, what)
        print("with the LM" if with_lm else "without the LM", f"({sum(len(r[0]) for r in rows)} candidates)")
        for k, v in report(rows, head).items():
            print(f"  {k:32s} {v}")
        if a.write:
            path = action_path(with_lm)
            path.write_bytes(msgspec.json.format(msgspec.json.encode(head.weights)) + b"\n")
            print("  wrote", path)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
